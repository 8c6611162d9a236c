import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module.js';
import { TrainingService } from './training.service.js';

/** Training jobs on this process's device: snapshot, train with checkpoints, evaluate, store the version. */
@Module({ imports: [ModelsModule], providers: [TrainingService], exports: [TrainingService] })
export class TrainingModule {}
