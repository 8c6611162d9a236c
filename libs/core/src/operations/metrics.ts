import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { OperationsService } from './operations.service.js';

/**
 * This process's Prometheus registry and its metrics. Per-process ones (sockets, speech time, turn
 * delivery, Node's own) are recorded into by the services that see them and describe the process
 * scraped; cluster-wide ones (debates by state, queued jobs, labels, training runs) are read from the
 * database through `OperationsService` when scraped, so any API process reports them all.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  /** Seconds from a debater starting a speech to the turn being persisted, by debater backend. */
  readonly speechSeconds = new Histogram({
    name: 'tribunal_speech_seconds',
    help: 'Seconds from a debater starting a speech to its turn being persisted (this process)',
    labelNames: ['backend'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  /** Seconds from a turn being persisted to its event leaving this API process for the debate's room. */
  readonly turnDeliverySeconds = new Histogram({
    name: 'tribunal_turn_delivery_seconds',
    help: "Seconds from a turn being persisted to its event being emitted to this API process's sockets",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private sockets: () => number = () => 0;

  constructor(operations: OperationsService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tribunal_' });
    // collect() runs with the gauge as `this`; these reach the process's sockets and the operations' reads.
    const sockets = () => this.sockets();
    new Gauge({
      name: 'tribunal_socket_connections',
      help: 'socket.io connections to this process',
      registers: [this.registry],
      collect() {
        this.set(sockets());
      },
    });
    /** Rows of a table counted by their `status` column. */
    const byStatus = (name: string, help: string, table: 'debates' | 'training_jobs') =>
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const { status, count } of await operations.countByStatus(table)) this.set({ status }, count);
        },
      });
    byStatus('tribunal_debates', 'Debates by status', 'debates');
    new Gauge({
      name: 'tribunal_labels',
      help: 'Complex-process labels written',
      registers: [this.registry],
      async collect() {
        this.set(await operations.labelCount());
      },
    });
    new Gauge({
      name: 'tribunal_queue_jobs',
      help: 'Jobs in the queue by job name and state (queued: ready or deferred; active: running)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const stats of await operations.queueDepths()) {
          this.set({ queue: stats.name, state: 'queued' }, stats.queuedCount);
          this.set({ queue: stats.name, state: 'active' }, stats.activeCount);
        }
      },
    });
    byStatus('tribunal_training_jobs', 'Training jobs by status', 'training_jobs');
    new Gauge({
      name: 'tribunal_training_progress',
      help: 'Fraction of its steps each running training job has taken',
      labelNames: ['training_job'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { id, fraction } of await operations.trainingProgress()) this.set({ training_job: id }, fraction);
      },
    });
  }

  /** The API process tells how many sockets it holds. */
  countSockets(count: () => number): void {
    this.sockets = count;
  }

  /** The Content-Type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric, in Prometheus's text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
