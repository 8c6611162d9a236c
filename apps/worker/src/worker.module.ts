import { Module } from '@nestjs/common';
import { JobRunner } from './job-runner.js';

/** The worker role: runs debates, simulated judges and adjudication from the job queue. */
@Module({ providers: [JobRunner] })
export class WorkerModule {}
