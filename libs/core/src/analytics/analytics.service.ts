import { Injectable } from '@nestjs/common';
import {
  debaterStandings,
  judgeStandings,
  protocolStats,
  type DebateFacts,
  type DebateRecordForStandings,
  type DebaterStanding,
  type JudgedOutcome,
  type JudgeStanding,
  type ProtocolStats,
} from '#tribunal/judging';
import type { ProtocolSpec } from '#tribunal/contracts';
import { DebateRepository, ProtocolRepository, type FinishedDebate, type ProtocolEntity } from '#tribunal/persistence';
import { specOf } from '../debates/debate-progress.js';

export interface ProtocolComparison {
  /** The group: a protocol version, or an imported archive's setting. */
  protocol: { id: string; name: string; version: number; kind: string };
  stats: ProtocolStats;
}

export interface CompareOptions {
  datasetId?: string;
  /** Only rooms an imported archive marks as part of its published analysis. */
  includedInPaper?: boolean;
  /** Group by protocol version (default) or by an imported archive's setting (human/AI × debate/consultancy). */
  by?: 'protocol' | 'setting';
}

function facts(d: FinishedDebate): DebateFacts {
  return {
    protocolId: d.protocolId,
    status: d.status,
    speechRounds: d.seats ? d.speeches / d.seats : 0,
    seconds: d.endedAt ? (new Date(d.endedAt).getTime() - new Date(d.createdAt).getTime()) / 1000 : null,
  };
}

/** Each judge's last answer is their final one; every answer before it continued the debate. */
function outcomes(d: FinishedDebate): JudgedOutcome[] {
  if (d.status !== 'completed') return [];
  const byJudge = new Map<string, { probabilities: number[] }[]>();
  for (const v of d.verdicts) byJudge.set(v.assignmentId, [...(byJudge.get(v.assignmentId) ?? []), v]);
  return [...byJudge.values()].map((answers) => ({
    protocolId: d.protocolId,
    debateId: d.id,
    initial: answers[0]!.probabilities,
    final: answers.at(-1)!.probabilities,
    truth: d.groundTruth,
    continues: answers.length - 1,
  }));
}

/** Who argued what in a debate: the archive's name for a debater, else the debater's kind and model. */
function debatersOf(d: FinishedDebate, spec: ProtocolSpec): { name: string; answer: number }[] {
  return d.seatList.map((seat, i) => {
    const debater = spec.debaters[i];
    const name = seat.name ?? (debater?.backend === 'openai' ? `openai:${debater.model}` : seat.backend);
    return { name, answer: seat.answer };
  });
}

function standingsRecord(d: FinishedDebate, spec: ProtocolSpec): DebateRecordForStandings {
  const byJudge = new Map<string, { judge: string; answers: number[][] }>();
  for (const v of d.verdicts) {
    const entry = byJudge.get(v.assignmentId) ?? { judge: v.judge, answers: [] };
    entry.answers.push(v.probabilities);
    byJudge.set(v.assignmentId, entry);
  }
  return {
    truth: d.groundTruth,
    debaters: debatersOf(d, spec),
    judges: [...byJudge.values()].map((j) => ({ name: j.judge, final: j.answers.at(-1)!, continues: j.answers.length - 1 })),
  };
}

/** Compares protocols on the debates they ran: how accurate, calibrated and rewarded their judges were. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly debateRepository: DebateRepository,
    private readonly protocolRepository: ProtocolRepository,
  ) {}

  /** Finished debates (completed or failed) under the options, with every protocol version. */
  private async selected(options: CompareOptions): Promise<{ finished: FinishedDebate[]; protocols: ProtocolEntity[] }> {
    const [all, protocols] = await Promise.all([this.debateRepository.finished(), this.protocolRepository.list()]);
    const finished = all.filter(
      (d) => (!options.datasetId || d.datasetId === options.datasetId) && (!options.includedInPaper || d.includedInPaper),
    );
    return { finished, protocols };
  }

  /** Completed debates as the standings read them, each with its protocol's spec. */
  private async standings(options: CompareOptions): Promise<{ records: DebateRecordForStandings[]; first: ProtocolSpec | undefined }> {
    const { finished, protocols } = await this.selected(options);
    const specs = new Map(protocols.map((p) => [p.id, specOf(p)]));
    const completed = finished.filter((d) => d.status === 'completed');
    return {
      records: completed.map((d) => standingsRecord(d, specs.get(d.protocolId)!)),
      first: completed[0] && specs.get(completed[0].protocolId),
    };
  }

  /** Each judge's accuracy and reward, where the truth is known; scored by the rule of the first protocol they judged under. */
  async judges(options: CompareOptions = {}): Promise<JudgeStanding[]> {
    const { records, first } = await this.standings(options);
    return first ? judgeStandings(records, first.scoring) : [];
  }

  /** Each debater's wins, honest and dishonest, and Bradley–Terry strength with a bootstrap interval. */
  async debaters(options: CompareOptions = {}): Promise<DebaterStanding[]> {
    return debaterStandings((await this.standings(options)).records);
  }

  async compareProtocols(options: CompareOptions = {}): Promise<ProtocolComparison[]> {
    const { finished, protocols } = await this.selected(options);
    const byId = new Map(protocols.map((p) => [p.id, p]));
    const groups = new Map<string, FinishedDebate[]>();
    for (const d of finished) {
      const key = options.by === 'setting' ? (d.setting ?? 'native') : d.protocolId;
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    return [...groups.entries()]
      .map(([key, debates]) => {
        const protocol = byId.get(debates[0]!.protocolId)!;
        const { scoring } = specOf(protocol);
        const group =
          options.by === 'setting'
            ? { id: key, name: key, version: 0, kind: key.endsWith('consultancy') ? 'consultancy' : protocol.kind }
            : { id: protocol.id, name: protocol.name, version: protocol.version, kind: protocol.kind };
        return { protocol: group, stats: protocolStats(debates.map(facts), debates.flatMap(outcomes), scoring) };
      })
      .sort((a, b) => a.protocol.name.localeCompare(b.protocol.name) || a.protocol.version - b.protocol.version);
  }
}
