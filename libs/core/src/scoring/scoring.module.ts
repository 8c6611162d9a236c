import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { ScoringService } from './scoring.service.js';

/** Scoring runs: a model version predicts every item, and disputes are selected from its predictions. */
@Module({ imports: [DatasetsModule], providers: [ScoringService], exports: [ScoringService] })
export class ScoringModule {}
