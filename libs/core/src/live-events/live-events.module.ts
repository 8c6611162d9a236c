import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module.js';
import { LiveEvents } from './live-events.js';

/** Live events to judges and researchers: socket.io rooms in this process, PostgreSQL NOTIFY between processes. */
@Module({ imports: [OperationsModule], providers: [LiveEvents], exports: [LiveEvents] })
export class LiveEventsModule {}
