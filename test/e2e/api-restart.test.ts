import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { freePort, spawnRole, type SpawnedProcess } from '../support/processes.js';
import type { ClientEvents, JudgeDebateView, ServerEvents, TurnView } from '#tribunal/contracts';
import { eventually, http, userKey, type TestApp } from '../support/app.js';
import { protocol, SPEECHES_JUDGE_SPEECHES, startDebate, worldDisputes } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';

const DEBATES = 20;
const PER_DEBATE = 10;

/** A judge's browser, as the web app behaves: it (re)joins its debate on every connect and keeps the transcript by turn index. */
class FollowingJudge {
  readonly socket: Socket<ServerEvents, ClientEvents>;
  readonly turns = new Map<number, TurnView>();
  joins = 0;
  answers = 0;
  readonly errors: string[] = [];

  constructor(
    url: string,
    readonly key: string,
    readonly debateId: string,
    readonly rank: number,
  ) {
    this.socket = io(url, {
      auth: { token: key },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    this.socket.on('turn.created', ({ turn }) => this.turns.set(turn.index, turn));
    this.socket.on('connect', () => {
      this.socket
        .timeout(30_000)
        .emitWithAck('debate.join', { debateId })
        .then((joined) => {
          if (!joined.ok) throw new Error(joined.error);
          const view = joined.data as JudgeDebateView;
          for (const turn of view.turns) this.turns.set(turn.index, turn);
          this.answers = view.answers.length;
          this.joins++;
        })
        .catch((error: Error) => this.errors.push(`join: ${error.message}`));
    });
  }

  /** Gives uniform probabilities at `stage`; resolves when the server acknowledges it, however long that takes. */
  async verdict(stage: string): Promise<void> {
    const reply = await this.socket.timeout(60_000).emitWithAck('verdict.submit', {
      debateId: this.debateId,
      stage,
      probabilities: Array.from({ length: this.answers }, () => 1 / this.answers),
    });
    if (!reply.ok) throw new Error(`${stage} of ${this.debateId}: ${reply.error}`);
  }
}

describe('killing and restarting the API process while 200 judges are connected', () => {
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let api: SpawnedProcess;
  let worker: RunningProcess;
  let app: TestApp;
  let db: pg.Client;
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-api-restart-'));
  const judges: FollowingJudge[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', TRIBUNAL_DEMO: 'false', PORT: String(await freePort()) };
    api = await spawnRole('api', env, { logFile: join(logs, 'api.log'), fresh: true });
    worker = await startProcess(['worker'], env);
    app = { running: worker, url: api.url!, adminKey: api.adminKey!, databaseUrl: database.url, close: async () => undefined };
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    for (const judge of judges) judge.socket.close();
    await db?.end();
    await worker?.app.close();
    await api?.kill();
    await database?.drop();
  });

  it('reconnects every judge to full transcripts and loses no verdict', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'restart', seed: 12, size: DEBATES });
    const protocolId = await protocol(app, researcher, 'restart', {
      ...SPEECHES_JUDGE_SPEECHES,
      judges: { count: PER_DEBATE, kind: 'human' },
    });
    for (let d = 0; d < DEBATES; d++) {
      const panel = await Promise.all(Array.from({ length: PER_DEBATE }, (_, rank) => userKey(app, 'judge', `judge-${d}-${rank}`)));
      const debateId = await startDebate(app, researcher, { disputeId: disputes[d]!.id, protocolId, judgeIds: panel.map((j) => j.id) });
      panel.forEach((j, rank) => judges.push(new FollowingJudge(app.url, j.key, debateId, rank)));
    }
    const debateIds = [...new Set(judges.map((j) => j.debateId))];
    await eventually('every judge to join', async () => judges.every((j) => j.joins === 1));
    await eventually(
      'every debate to wait for its judges',
      async () => (await db.query(`SELECT count(*)::int AS n FROM turns`)).rows[0].n === DEBATES * 2,
    );

    // The first half of the debates get all their judges' first verdicts, the rest half of theirs.
    const early = judges.filter((j) => debateIds.indexOf(j.debateId) < DEBATES / 2 || j.rank % 2 === 0);
    const late = judges.filter((j) => !early.includes(j));
    await Promise.all(early.map((j) => j.verdict('judge-1')));

    await api.kill('SIGKILL');
    await eventually('every socket to notice', async () => judges.every((j) => !j.socket.connected));
    // Judges keep giving verdicts while the API is down: the browser holds them until it is back.
    const held = late.map((j) => j.verdict('judge-1'));
    // Meanwhile the worker carries on: the first half of the debates get their next speeches with nobody listening.
    await eventually(
      'speeches written while the API is down',
      async () => (await db.query(`SELECT count(*)::int AS n FROM turns WHERE index >= 2`)).rows[0].n === DEBATES,
    );

    api = await spawnRole('api', env, { logFile: join(logs, 'api.log') });
    await Promise.all(held);
    await eventually('every judge to join again', async () => judges.every((j) => j.joins === 2), 60_000);
    await eventually('every judge to have the whole transcript', async () => judges.every((j) => j.turns.size === 4), 60_000);
    await Promise.all(judges.map((j) => j.verdict('final')));
    await eventually(
      'every debate to complete',
      async () => (await db.query(`SELECT count(*)::int AS n FROM debates WHERE status = 'completed'`)).rows[0].n === DEBATES,
      60_000,
    );

    expect(judges.flatMap((j) => j.errors)).toEqual([]);
    for (const judge of judges) {
      const { rows } = await db.query('SELECT index, seat, text FROM turns WHERE debate_id = $1 ORDER BY index', [judge.debateId]);
      const seen = [...judge.turns.values()].sort((a, b) => a.index - b.index).map(({ index, seat, text }) => ({ index, seat, text }));
      expect(seen).toEqual(rows);
    }
    const { rows: verdicts } = await db.query(`SELECT stage, count(*)::int AS n FROM verdicts GROUP BY stage ORDER BY stage`);
    expect(verdicts).toEqual([
      { stage: 'final', n: DEBATES * PER_DEBATE },
      { stage: 'judge-1', n: DEBATES * PER_DEBATE },
    ]);
    expect(late.length).toBe((DEBATES / 2) * (PER_DEBATE / 2));
    const restarted = await http(app, 'GET', '/ready');
    expect(restarted.status).toBe(200);
  }, 240_000);
});
