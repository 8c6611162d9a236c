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
   * Labels under the filter, in sequence order, page by page, up to `limit` in all, each as the JSON
   * text of its `LabelRecord` (serialised by the database: a bulk pull's cost is the query).
   */
  async *stream(filter: LabelFilter, limit: number, pageSize = 1000): AsyncGenerator<string[]> {
    let after = filter.after;
    let left = limit;
    while (left > 0) {
      const size = Math.min(pageSize, left);
      const page = await this.labelRepository.after({ ...filter, after }, size);
      if (page.length === 0) return;
      yield page.map((label) => label.json);
      after = page.at(-1)!.seq;
      left -= page.length;
      if (page.length < size) return;
    }
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
