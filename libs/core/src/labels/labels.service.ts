import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { LabelRecord } from '#tribunal/contracts';
import { LabelRepository, type LabelEntity, type LabelFilter } from '#tribunal/persistence';

export function labelRecord(label: LabelEntity): LabelRecord {
  return {
    schemaVersion: label.schemaVersion,
    seq: label.seq,
    id: label.id,
    datasetId: label.datasetId,
    itemId: label.itemId,
    answer: label.answer,
    distribution: label.distribution,
    method: label.method,
    agreesWithSimple: label.agreesWithSimple,
    provenance: label.provenance,
    revises: label.revises,
    createdAt: label.createdAt.toISOString(),
  };
}

@Injectable()
export class LabelsService {
  constructor(private readonly labelRepository: LabelRepository) {}

  /**
   * Labels under the filter, in sequence order, up to `limit` in all, as NDJSON: each line the JSON text
   * of a label's `LabelRecord`, written by the database (a bulk pull's cost is the query), streamed as
   * the database produces it. Destroy the stream to stop early.
   */
  stream(filter: LabelFilter, limit: number): Promise<Readable> {
    return this.labelRepository.stream(filter, limit);
  }

  byId(id: string): Promise<LabelEntity | null> {
    return this.labelRepository.byId(id);
  }

  bySeq(seq: string): Promise<LabelEntity | null> {
    return this.labelRepository.bySeq(seq);
  }

  count(filter: LabelFilter): Promise<number> {
    return this.labelRepository.count(filter);
  }
}
