import { Injectable } from '@nestjs/common';
import { protocolStats, type DebateFacts, type JudgedOutcome, type ProtocolStats } from '../../judging/src/index.js';
import { DebateRepository } from '../../persistence/src/index.js';
import { parseProtocolSpec } from './protocols.service.js';

export interface ProtocolComparison {
  protocol: { id: string; name: string; version: number; kind: string };
  stats: ProtocolStats;
}

/** Compares protocols on the debates they ran: how accurate, calibrated and rewarded their judges were. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly debates: DebateRepository) {}

  async compareProtocols(): Promise<ProtocolComparison[]> {
    const [finished, protocols] = await Promise.all([this.debates.finished(), this.debates.listProtocols()]);
    return protocols.flatMap((protocol) => {
      const mine = finished.filter((d) => d.protocolId === protocol.id);
      if (mine.length === 0) return [];
      const facts: DebateFacts[] = mine.map((d) => ({
        protocolId: d.protocolId,
        status: d.status,
        speechRounds: d.seats ? d.speeches / d.seats : 0,
        seconds: d.endedAt ? (new Date(d.endedAt).getTime() - new Date(d.createdAt).getTime()) / 1000 : null,
      }));
      // Each judge's last answer is their final one; every answer before it continued the debate.
      const outcomes: JudgedOutcome[] = mine
        .filter((d) => d.status === 'completed')
        .flatMap((d) => {
          const byJudge = new Map<string, { probabilities: number[] }[]>();
          for (const v of d.verdicts) byJudge.set(v.assignmentId, [...(byJudge.get(v.assignmentId) ?? []), v]);
          return [...byJudge.values()].map((answers) => ({
            protocolId: d.protocolId,
            final: answers.at(-1)!.probabilities,
            truth: d.groundTruth,
            continues: answers.length - 1,
          }));
        });
      const { scoring } = parseProtocolSpec(protocol.spec);
      return [
        {
          protocol: { id: protocol.id, name: protocol.name, version: protocol.version, kind: protocol.kind },
          stats: protocolStats(facts, outcomes, scoring),
        },
      ];
    });
  }
}
