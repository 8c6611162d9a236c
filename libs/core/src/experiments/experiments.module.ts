import { Module } from '@nestjs/common';
import { ExperimentsService } from './experiments.service.js';

/** Recorded experiment runs. */
@Module({ providers: [ExperimentsService], exports: [ExperimentsService] })
export class ExperimentsModule {}
