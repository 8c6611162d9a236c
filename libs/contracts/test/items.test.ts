import { describe, expect, it } from 'vitest';
import { featureRowProblems, isFeatureVector, itemProblems } from '../src/index.js';

const item = (overrides: Record<string, unknown> = {}) => ({ externalId: 'q1', question: 'Which?', answers: ['a', 'b'], ...overrides });

describe('itemProblems', () => {
  it('accepts a minimal item, and one with every field', () => {
    expect(itemProblems([item()])).toEqual([]);
    expect(
      itemProblems([
        item({
          context: { kind: 'passage', text: 'It rained.' },
          evidence: [{ id: 'e1', kind: 'sentence', text: 'It rained.' }],
          simpleLabel: 0,
          groundTruth: 1,
          features: [0.5, -1],
          meta: { source: 'test' },
        }),
      ]),
    ).toEqual([]);
  });

  it('refuses a list that is empty, not a list, or too long', () => {
    expect(itemProblems([])).toEqual(['items must be a non-empty list']);
    expect(itemProblems('many')).toEqual(['items must be a non-empty list']);
    expect(itemProblems(Array.from({ length: 100_001 }, () => ({})))).toEqual(['items: at most 100000 per upload, got 100001']);
  });

  it('names the item and field of every problem, and lists the known fields for an unknown one', () => {
    const problems = itemProblems([
      item(),
      'not an item',
      item({ externalId: '', question: '', answers: ['only'], colour: 'red' }),
      item({ simpleLabel: 2, groundTruth: -1, context: [], meta: 'm' }),
    ]);
    expect(problems).toEqual([
      'items[1] must be an object',
      'items[2].colour is not an item field (known: externalId, question, answers, context, evidence, simpleLabel, groundTruth, features, meta)',
      'items[2].externalId must be a string of 1 to 200 characters',
      'items[2].question must be a non-empty string',
      'items[2].answers must be a list of at least 2 non-empty strings',
      'items[3].externalId "q1" appears twice',
      'items[3].simpleLabel must be an index into answers (0 to 1) or null, got 2',
      'items[3].groundTruth must be an index into answers (0 to 1) or null, got -1',
      'items[3].context must be an object',
      'items[3].meta must be an object',
    ]);
  });

  it('checks evidence units and their ids', () => {
    expect(itemProblems([item({ evidence: [{ id: 'e1', kind: 'k' }] })])).toEqual([
      'items[0].evidence must be a list of { id, kind, text } strings',
    ]);
    const unit = { id: 'e1', kind: 'k', text: 't' };
    expect(itemProblems([item({ evidence: [unit, unit] })])).toEqual(['items[0].evidence ids must be unique']);
  });

  it('wants features on every item or none, all of one length', () => {
    expect(itemProblems([item({ features: [] })])).toEqual(['items[0].features must be a non-empty list of finite numbers']);
    expect(itemProblems([item({ features: [1, Number.NaN] })])).toEqual(['items[0].features must be a non-empty list of finite numbers']);
    expect(itemProblems([item({ features: [1, 2] }), item({ externalId: 'q2' })])).toEqual([
      '1 of 2 items have features: give every item features, or none',
    ]);
    expect(itemProblems([item({ features: [1, 2] }), item({ externalId: 'q2', features: [1, 2, 3] })])).toEqual([
      "items' features must all have one length; got lengths 2, 3",
    ]);
    expect(itemProblems([item({ features: null }), item({ externalId: 'q2' })])).toEqual([]);
  });
});

describe('featureRowProblems', () => {
  it('accepts rows of an external id and a vector', () => {
    expect(featureRowProblems([{ externalId: 'q1', features: [1, 2] }])).toEqual([]);
  });

  it('names each bad row', () => {
    expect(featureRowProblems([])).toEqual(['items must be a non-empty list of { externalId, features }']);
    expect(featureRowProblems({})).toEqual(['items must be a non-empty list of { externalId, features }']);
    expect(featureRowProblems([{ features: [1] }, { externalId: 'q2', features: ['1'] }])).toEqual([
      'items[0].externalId must be a string',
      'items[1].features must be a non-empty list of finite numbers',
    ]);
  });
});

describe('isFeatureVector', () => {
  it('is a non-empty list of finite numbers', () => {
    expect(isFeatureVector([0, -1.5])).toBe(true);
    expect(isFeatureVector([])).toBe(false);
    expect(isFeatureVector([Infinity])).toBe(false);
    expect(isFeatureVector('1,2')).toBe(false);
  });
});
