import { Module } from '@nestjs/common';
import { Metrics } from './metrics.js';
import { OperationsService } from './operations.service.js';

/** Readiness and the deployment's state (`OperationsService`), and this process's Prometheus metrics (`Metrics`). */
@Module({ providers: [OperationsService, Metrics], exports: [OperationsService, Metrics] })
export class OperationsModule {}
