import { Module } from '@nestjs/common';
import { LabelsService } from './labels.service.js';

/** The label feed: labels read by dataset, sequence number and filter. */
@Module({ providers: [LabelsService], exports: [LabelsService] })
export class LabelsModule {}
