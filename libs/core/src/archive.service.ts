import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { nyuProtocol, readNyuArchive, type NyuRoom, type NyuSetting, type Skipped } from '../../archive/src/index.js';
import { DatasetRepository, DebateRepository, ArchiveRepository, type ArchivedDebate } from '../../persistence/src/index.js';
import { ProtocolsService } from './protocols.service.js';

export interface ImportReport {
  datasetId: string;
  imported: number;
  skipped: Skipped[];
  protocols: Record<NyuSetting, string[]>;
}

const STORY = 'story';

/** One room as a finished Tribunal debate: the story as the item's evidence, speeches with quotations, the judge's every answer. */
function archived(room: NyuRoom, datasetId: string, protocolId: string): ArchivedDebate {
  const debate = room.setting.endsWith('debate');
  const seats = (debate ? [0, 1] : room.debaters.slice(0, 1)).map((d) => ({
    seat: 'AB'[d]!,
    answer: d,
    backend: 'manual' as const,
    ...(room.names.debaters[d] ? { name: room.names.debaters[d] } : {}),
  }));
  const turns: ArchivedDebate['turns'] = [];
  for (const round of room.rounds) {
    if (round.kind !== 'speeches') continue;
    for (const speech of round.speeches) {
      turns.push({
        index: turns.length,
        round: round.position,
        seat: 'AB'[speech.debater]!,
        text: speech.text,
        createdAt: new Date(speech.at || room.createdAt),
        citations: speech.quotes.map((q) => ({
          kind: 'quote' as const,
          evidenceId: STORY,
          quote: room.story.slice(q.span[0], q.span[1]),
          verified: true,
          score: 1,
          excerpt: room.story.slice(q.span[0], q.span[1]),
          spanStart: q.span[0],
          spanEnd: q.span[1],
          atStart: q.at[0],
          atEnd: q.at[1],
        })),
      });
    }
  }
  const judged = room.rounds.filter((r) => r.kind === 'judge');
  return {
    item: {
      datasetId,
      externalId: room.name,
      context: { kind: 'passage-hidden', title: room.storyTitle },
      evidence: [{ id: STORY, kind: 'passage', text: room.story }],
      question: room.question,
      answers: room.answers,
      simpleLabel: null,
      groundTruth: room.correct,
      features: null,
      meta: {
        archive: 'nyu-debate-2023',
        room: room.name,
        setting: room.setting,
        includedInPaper: room.includedInPaper,
        storyId: room.storyId,
      },
    },
    reasons: [{ kind: 'imported', detail: `room ${room.name} of the NYU 2023 archive (${room.setting})` }],
    protocolId,
    seats,
    judge: room.names.judge,
    createdAt: new Date(room.createdAt),
    endedAt: new Date(room.endedAt),
    turns,
    verdicts: judged.map((r, i) => ({
      stage: i === judged.length - 1 ? 'final' : `judge-${r.position}`,
      probabilities: r.distribution,
      note: r.note || null,
      endsDebate: r.endDebate,
      createdAt: new Date(r.at || room.createdAt + i),
    })),
  };
}

/** Brings archives of other debate platforms into Tribunal; importing twice adds nothing. */
@Injectable()
export class ArchiveService {
  private readonly logger = new Logger(ArchiveService.name);

  constructor(
    private readonly datasets: DatasetRepository,
    private readonly debates: DebateRepository,
    private readonly archive: ArchiveRepository,
    private readonly protocols: ProtocolsService,
  ) {}

  /** Imports an archive in the NYU platform's format, from its directory or its .tgz. */
  async importNyu(path: string, datasetName: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    let dir = path;
    let unpacked: string | undefined;
    try {
      if (statSync(path).isFile()) {
        unpacked = mkdtempSync(join(tmpdir(), 'tribunal-archive-'));
        execFileSync('tar', ['xzf', path, '-C', unpacked]);
        dir = unpacked;
      }
    } catch (error) {
      throw new UnprocessableEntityException(`cannot read the archive at ${path}: ${(error as Error).message}`);
    }
    try {
      let rooms: NyuRoom[];
      let skipped: Skipped[];
      try {
        ({ rooms, skipped } = readNyuArchive(dir));
      } catch (error) {
        throw new UnprocessableEntityException((error as Error).message);
      }
      const dataset =
        (await this.datasets.byName(datasetName)) ??
        (await this.datasets.createWithItems({ name: datasetName, source: 'import', params: { archive: 'nyu-debate-2023', path } }, []));
      const done = await this.archive.importedIds(dataset.id);
      const protocolIds = new Map<string, string>();
      const protocols = {} as Record<NyuSetting, string[]>;
      let imported = 0;
      for (const [i, room] of rooms.entries()) {
        onProgress?.(i, rooms.length);
        if (done.has(room.name)) {
          skipped.push({ room: room.name, reason: 'already imported' });
          continue;
        }
        const spec = nyuProtocol(room);
        const key = JSON.stringify(spec);
        let protocolId = protocolIds.get(key);
        if (!protocolId) {
          protocolId = await this.protocolFor(`nyu-2023-${room.setting}`, spec);
          protocolIds.set(key, protocolId);
          (protocols[room.setting] ??= []).push(protocolId);
        }
        await this.archive.write(archived(room, dataset.id, protocolId));
        imported++;
      }
      onProgress?.(rooms.length, rooms.length);
      this.logger.log(`imported ${imported} rooms into "${datasetName}", skipped ${skipped.length}`);
      return { datasetId: dataset.id, imported, skipped, protocols };
    } finally {
      if (unpacked) rmSync(unpacked, { recursive: true, force: true });
    }
  }

  /** The version of the named protocol with exactly this spec, added if there is none. */
  private async protocolFor(name: string, spec: object): Promise<string> {
    const wanted = JSON.stringify(spec);
    const existing = (await this.debates.listProtocols()).find((p) => p.name === name && JSON.stringify(p.spec) === wanted);
    return existing?.id ?? (await this.protocols.create(name, spec, null)).id;
  }
}
