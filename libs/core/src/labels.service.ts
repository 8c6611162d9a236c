import { Injectable } from '@nestjs/common';
import { LabelRepository, type LabelEntity } from '../../persistence/src/index.js';

/** A label as pipelines read it: the documented, versioned schema. */
export interface LabelRecord {
  schemaVersion: number;
  seq: string;
  id: string;
  datasetId: string;
  itemId: string;
  answer: number;
  distribution: number[];
  method: string;
  agreesWithSimple: boolean;
  provenance: LabelEntity['provenance'];
  createdAt: string;
}

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
    createdAt: label.createdAt.toISOString(),
  };
}

@Injectable()
export class LabelsService {
  constructor(private readonly labels: LabelRepository) {}

  async after(after: string, filter: { limit: number; datasetId?: string }): Promise<LabelRecord[]> {
    return (await this.labels.after(after, filter)).map(labelRecord);
  }
}
