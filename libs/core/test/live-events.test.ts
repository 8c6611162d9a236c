import { describe, expect, it } from 'vitest';
import type { Server } from 'socket.io';
import { campaignRoom, type CampaignProgressView } from '#tribunal/contracts';
import type { Database, DebateRepository } from '#tribunal/persistence';
import { LiveEvents } from '../src/live-events/live-events.js';
import type { Metrics } from '../src/operations/metrics.js';

/** LiveEvents of an embedded process (events delivered in process), with a server that records what it emits. */
function liveEvents(): { events: LiveEvents; emitted: [string, string, unknown][] } {
  const emitted: [string, string, unknown][] = [];
  const server = { to: (room: string) => ({ emit: (event: string, payload: unknown) => emitted.push([room, event, payload]) }) };
  const database = { embedded: true, target: { kind: 'embedded' } } as unknown as Database;
  const events = new LiveEvents(database, {} as DebateRepository, {} as Metrics);
  events.attach(server as unknown as Server);
  return { events, emitted };
}

const progress = (campaignId: string, status: CampaignProgressView['status'], waiting: number): CampaignProgressView => ({
  campaignId,
  status,
  waiting,
  debates: { completed: 10 - waiting },
  total: 10,
});

describe('LiveEvents, campaign progress', () => {
  it('does not take a campaign back to running once its end was delivered (a fill that read it before another completed it)', () => {
    const { events, emitted } = liveEvents();
    const room = campaignRoom('c1');
    events.emitTo(room, 'campaign.progress', progress('c1', 'running', 1));
    events.emitTo(room, 'campaign.progress', progress('c1', 'completed', 0));
    events.emitTo(room, 'campaign.progress', progress('c1', 'running', 0));
    events.emitTo(campaignRoom('c2'), 'campaign.progress', progress('c2', 'running', 3));
    expect(emitted.map(([r, , p]) => [r, (p as CampaignProgressView).status])).toEqual([
      [room, 'running'],
      [room, 'completed'],
      [campaignRoom('c2'), 'running'],
    ]);
  });
});
