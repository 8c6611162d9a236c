import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module.js';
import { DatasetsService } from './datasets.service.js';
import { DisputesService } from './disputes.service.js';

/** Datasets (the built-in world, uploads) and the disputes selected from their items. */
@Module({ imports: [ModelsModule], providers: [DatasetsService, DisputesService], exports: [DatasetsService, DisputesService] })
export class DatasetsModule {}
