import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjudicationService, DebateRunner, DebatesService, JudgingService } from '#tribunal/core';
import {
  CitationEntity,
  Database,
  DebateEntity,
  DebateRepository,
  JudgeAssignmentEntity,
  SpeechDraftEntity,
  TurnEntity,
  UnitOfWork,
  VerdictEntity,
  type DebateRecord,
} from '#tribunal/persistence';
import { eventually, startTestApp, userKey, type TestApp } from '../support/app.js';
import { protocol, startDebate, worldDisputes } from '../support/factories.js';

describe('debate steps are idempotent', () => {
  let app: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    // No worker: the test drives every step itself, several times over.
    app = await startTestApp({ TRIBUNAL_WORKER_CONCURRENCY: '1' });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('running every step many times at once appends each turn, verdict and label once', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'steps', seed: 9, size: 10 });
    const protocolId = await protocol(app, researcher, 'steps', { end: { maxRepeats: 3, judgeMayEnd: false } });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId });

    const debates = app.running.app.get(DebatesService);
    const runner = app.running.app.get(DebateRunner);
    const judging = app.running.app.get(JudgingService);
    const adjudication = app.running.app.get(AdjudicationService);
    // Race the queue's own worker with five more runs of the debate, and more copies of every step.
    const hammer = async () => {
      const record = await debates.requireRecord(debateId);
      await Promise.all([
        ...Array.from({ length: 5 }, () => runner.advance(debateId)),
        ...record.assignments.flatMap((a) => ['judge-1', 'judge-3', 'final'].map((stage) => judging.auto(record, a, stage, 'queue'))),
        ...Array.from({ length: 3 }, () => adjudication.adjudicate(debateId)),
      ]);
    };
    await eventually('the debate to complete', async () => {
      await hammer();
      const { rows } = await db.query('SELECT status FROM debates WHERE id = $1', [debateId]);
      return rows[0].status === 'completed';
    });
    const turns = await db.query('SELECT index FROM turns WHERE debate_id = $1 ORDER BY index', [debateId]);
    expect(turns.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const verdicts = await db.query('SELECT stage FROM verdicts WHERE debate_id = $1 ORDER BY stage', [debateId]);
    expect(verdicts.rows.map((r) => r.stage)).toEqual(['final', 'judge-1', 'judge-3']);
    const labels = await db.query(`SELECT seq FROM labels WHERE provenance -> 'debates' -> 0 ->> 'id' = $1`, [debateId]);
    expect(labels.rows.length).toBeLessThanOrEqual(1);
    await hammer();
    expect((await db.query('SELECT count(*) FROM turns WHERE debate_id = $1', [debateId])).rows[0].count).toBe('6');
  });

  it('leaves no draft behind when a stale stream saves one while the turn is being written', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'drafts', seed: 4, size: 5 });
    const protocolId = await protocol(app, researcher, 'drafts', { debaters: [{ backend: 'manual' }, { backend: 'manual' }] });
    const debateId = await startDebate(app, researcher, { disputeId: disputes[0]!.id, protocolId });
    const repository = app.running.app.get(DebateRepository);
    await repository.saveDraft({ debateId, index: 0, seat: 'A', text: 'I hold' });
    let racing: Promise<void> | undefined;
    // Inside the turn's transaction, after it removed the draft: a second stream of the same speech saves again.
    const unitOfWork = app.running.app.get(UnitOfWork);
    const appended = await unitOfWork.run(async (tx) => {
      const turn = await repository.appendTurn(tx, { debateId, index: 0, round: 0, seat: 'A', text: 'I hold that it is so.' }, []);
      racing = repository.saveDraft({ debateId, index: 0, seat: 'A', text: 'I hold that' });
      await new Promise((r) => setTimeout(r, 300));
      return turn;
    });
    expect(appended?.turn.index).toBe(0);
    await racing;
    expect((await db.query('SELECT count(*)::int AS n FROM speech_drafts WHERE debate_id = $1', [debateId])).rows[0].n).toBe(0);
    // A draft for the next speech is kept; once the debate has ended, drafts are not.
    await repository.saveDraft({ debateId, index: 1, seat: 'B', text: 'But' });
    expect((await db.query('SELECT index FROM speech_drafts WHERE debate_id = $1', [debateId])).rows).toEqual([{ index: 1 }]);
    await unitOfWork.run((tx) => repository.setStatus(tx, debateId, 'failed', 'stopped by the test'));
    await repository.saveDraft({ debateId, index: 2, seat: 'A', text: 'Too late' });
    expect((await db.query('SELECT index FROM speech_drafts WHERE debate_id = $1', [debateId])).rows).toEqual([{ index: 1 }]);
  });

  it('reads a debate in one query exactly as the entities read it with finds', async () => {
    const researcher = (await userKey(app, 'researcher')).key;
    const { disputes } = await worldDisputes(app, researcher, { name: 'record', seed: 12, size: 6 });
    const finished = await startDebate(app, researcher, {
      disputeId: disputes[0]!.id,
      protocolId: await protocol(app, researcher, 'record'),
    });
    const manual = await startDebate(app, researcher, {
      disputeId: disputes[1]!.id,
      protocolId: await protocol(app, researcher, 'record-manual', { debaters: [{ backend: 'manual' }, { backend: 'manual' }] }),
    });
    await eventually('the built-in debate to complete', async () => {
      const { rows } = await db.query('SELECT status FROM debates WHERE id = $1', [finished]);
      return rows[0].status === 'completed';
    });
    const repository = app.running.app.get(DebateRepository);
    await repository.saveDraft({ debateId: manual, index: 0, seat: 'A', text: 'Quoting "a \\ back\nslash" — ünïcode' });
    // What record() read before it was one query: TypeORM's finds, relation by relation.
    const { dataSource } = app.running.app.get(Database);
    const byFinds = async (debateId: string): Promise<DebateRecord> => {
      const debate = await dataSource
        .getRepository(DebateEntity)
        .findOneOrFail({ where: { id: debateId }, relations: { protocol: true, item: true } });
      const turns = await dataSource.getRepository(TurnEntity).find({ where: { debateId }, order: { index: 'ASC' } });
      const citations = await dataSource.getRepository(CitationEntity).find({ where: turns.map((t) => ({ turnId: t.id })) });
      return {
        debate,
        protocol: debate.protocol,
        item: debate.item,
        turns,
        citations: turns.length ? citations : [],
        assignments: await dataSource.getRepository(JudgeAssignmentEntity).find({ where: { debateId }, order: { slot: 'ASC' } }),
        verdicts: await dataSource.getRepository(VerdictEntity).find({ where: { debateId }, order: { createdAt: 'ASC' } }),
        drafts: await dataSource.getRepository(SpeechDraftEntity).find({ where: { debateId }, order: { index: 'ASC' } }),
      };
    };
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    for (const debateId of [finished, manual]) {
      const read = (await repository.record(debateId))!;
      const expected = await byFinds(debateId);
      expect({ ...read, citations: byId(read.citations) }).toStrictEqual({ ...expected, citations: byId(expected.citations) });
    }
    const read = (await repository.record(finished))!;
    expect(read.turns.length).toBeGreaterThan(0);
    expect(read.citations.length).toBeGreaterThan(0);
    expect(read.verdicts.length).toBeGreaterThan(0);
    expect(read.item.features!.length).toBeGreaterThan(0);
    expect((await repository.record(manual))!.drafts).toHaveLength(1);
    expect(await repository.record('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
