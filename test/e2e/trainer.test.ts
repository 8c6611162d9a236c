import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type RunningProcess } from '../../apps/bootstrap/src/start-process.js';
import { spawnRole, type SpawnedProcess } from '../support/processes.js';
import { eventually, http, userKey, type TestApp } from '../support/app.js';
import { tribunal } from '../support/cli.js';
import { labelledWorld } from '../support/factories.js';
import { createTestDatabase } from '../support/postgres.js';

/** Long enough to be killed mid-run: a wide trunk, many steps, a checkpoint every 100. */
const SLOW = {
  architecture: { hidden: [256, 256], activation: 'gelu' },
  settings: { steps: 1500, batchSize: 256, evalEvery: 150, checkpointEvery: 100, seed: 5 },
};

describe('trainer processes', () => {
  let api: RunningProcess;
  let app: TestApp;
  let db: pg.Client;
  let env: Record<string, string>;
  let researcher: string;
  let datasetId: string;
  const logs = mkdtempSync(join(tmpdir(), 'tribunal-trainer-'));
  const trainers = new Set<SpawnedProcess>();
  let started = 0;

  async function startTrainer(): Promise<SpawnedProcess> {
    const trainer = await spawnRole('trainer', env, { logFile: join(logs, `trainer-${++started}.log`) });
    trainers.add(trainer);
    void trainer.exited.then(() => trainers.delete(trainer));
    return trainer;
  }

  beforeAll(async () => {
    const database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'log',
      TRIBUNAL_DEMO: 'false',
      TRIBUNAL_TRAINER_DEVICE: 'cpu',
      TRIBUNAL_JOB_HEARTBEAT_SECONDS: '10',
      TRIBUNAL_QUEUE_SUPERVISE_SECONDS: '1',
    };
    // API and worker in this process; trainers are separate processes, killed at will.
    api = await startProcess(['api', 'worker'], { ...env, PORT: '0', LOG_LEVEL: 'warn' });
    app = { running: api, url: api.url!, adminKey: api.adminKey!, databaseUrl: database.url, close: async () => undefined };
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    researcher = (await userKey(app, 'researcher')).key;
    ({ datasetId } = await labelledWorld(app, researcher, { name: 'trainer-world', seed: 4, size: 160 }, 0.4, 120_000));
  });

  afterAll(async () => {
    await Promise.all([...trainers].map((t) => t.kill()));
    await db?.end();
    await api?.app.close();
  });

  it(`resumes a killed run from its checkpoint and ends with the very model an uninterrupted run makes (logs in ${logs})`, async () => {
    const first = await startTrainer();
    const killed = await http(app, 'POST', '/training-jobs', researcher, { datasetId, ...SLOW });
    expect(killed.status, killed.text).toBe(201);
    await eventually(
      'a checkpoint past step 200',
      async () =>
        (await db.query(`SELECT checkpoint_step FROM training_jobs WHERE id = $1`, [killed.body.id])).rows[0].checkpoint_step >= 200,
      60_000,
    );
    await first.kill('SIGKILL');
    const { rows: at } = await db.query(`SELECT checkpoint_step, status FROM training_jobs WHERE id = $1`, [killed.body.id]);
    expect(at[0].status).toBe('running');
    await startTrainer();
    const resumed = await eventually(
      'the resumed run to complete',
      async () => {
        const { rows } = await db.query(`SELECT status, model_version_id, error FROM training_jobs WHERE id = $1`, [killed.body.id]);
        return rows[0].status === 'completed' || rows[0].status === 'failed' ? rows[0] : undefined;
      },
      120_000,
    );
    expect(resumed.error).toBeNull();
    // The same request again, never interrupted: same snapshot, same seed, same batches, same bytes.
    const whole = await http(app, 'POST', '/training-jobs', researcher, { datasetId, ...SLOW });
    const uninterrupted = await eventually(
      'the uninterrupted run to complete',
      async () => {
        const { rows } = await db.query(`SELECT status, model_version_id FROM training_jobs WHERE id = $1`, [whole.body.id]);
        return rows[0].status === 'completed' ? rows[0] : undefined;
      },
      120_000,
    );
    const { rows: versions } = await db.query(`SELECT id, sha256, config FROM model_versions WHERE id = ANY($1)`, [
      [resumed.model_version_id, uninterrupted.model_version_id],
    ]);
    expect(versions).toHaveLength(2);
    expect(versions[0].config.snapshotSha256).toBe(versions[1].config.snapshotSha256);
    expect(versions[0].sha256).toBe(versions[1].sha256);
    // The progress of the killed run has every point once, despite the steps it redid after the kill.
    const progress = (await http(app, 'GET', `/training-jobs/${killed.body.id}`, researcher)).body.progress as { step: number }[];
    expect(progress.map((p) => p.step)).toEqual([150, 300, 450, 600, 750, 900, 1050, 1200, 1350, 1500]);
  }, 300_000);

  it('drives train, list, show, promote and score from the command line', async () => {
    const cli = { TRIBUNAL_URL: app.url, TRIBUNAL_KEY: researcher };
    const config = join(logs, 'train.yaml');
    writeFileSync(config, 'architecture:\n  hidden: [32]\nsettings:\n  learningRate: 0.01\n');
    const trained = await tribunal(['model', 'train', 'trainer-world', '--config', config, '--steps', '120'], cli);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/model version (\S+) \(/);
    expect(trained.stdout).toMatch(/intended head\s+\d\.\d{3}/);
    expect(trained.stdout).toMatch(/naive baseline\s+\d\.\d{3}/);
    const name = /model version (\S+) \(/.exec(trained.stdout)![1]!;
    const listed = await tribunal(['model', 'list', '--dataset', 'trainer-world'], cli);
    expect(listed.stdout).toContain(name);
    const shown = await tribunal(['model', 'show', name], cli);
    expect(shown.stdout).toContain('simple-wrong acc');
    // --json: what GET /models and GET /models/{id} answer, and nothing else on standard output.
    const version = JSON.parse((await tribunal(['model', 'show', name, '--json'], cli)).stdout) as {
      id: string;
      evaluation: { heldOut: { items: number } };
    };
    expect(version).toEqual((await http(app, 'GET', `/models/${version.id}`, researcher)).body);
    expect(version.evaluation.heldOut.items).toBeGreaterThan(0);
    const listedJson = JSON.parse((await tribunal(['model', 'list', '--dataset', 'trainer-world', '--json'], cli)).stdout) as {
      id: string;
    }[];
    expect(listedJson.map((v) => v.id)).toContain(version.id);
    const promoted = await tribunal(['model', 'promote', name], cli);
    expect(promoted.stderr).toBe('');
    expect(promoted.stdout).toMatch(new RegExp(`${name} is now active\\nre-scored 160 items; \\d+ new disputes`));
    const scored = await tribunal(['model', 'score', 'trainer-world', '--no-select'], cli);
    expect(scored.stdout).toContain('scored 160 items');
    const scoredJson = await tribunal(['model', 'score', 'trainer-world', '--no-select', '--json'], cli);
    expect(scoredJson.code).toBe(0);
    expect(JSON.parse(scoredJson.stdout)).toMatchObject({ status: 'completed', scored: 160, total: 160, disputesCreated: 0 });
    const missing = await tribunal(['model', 'train', 'no-such-world'], cli);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('no dataset "no-such-world"');
    const bad = await tribunal(['model', 'train', 'trainer-world', '--steps', '0'], cli);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('settings.steps must be an integer from 1');
  }, 180_000);
});
