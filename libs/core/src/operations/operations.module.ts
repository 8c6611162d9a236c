import { Module } from '@nestjs/common';
import { OperationsService } from './operations.service.js';

/** Health, readiness and Prometheus metrics of this process: the database, the queue, speeches and turn delivery. */
@Module({ providers: [OperationsService], exports: [OperationsService] })
export class OperationsModule {}
