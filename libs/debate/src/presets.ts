import type { ProtocolSpec, RoundSpec } from '#tribunal/contracts';

const judge = (visibleToDebaters: boolean, noteLimit?: number): RoundSpec => ({ type: 'judge', visibleToDebaters, noteLimit });
const NYU_SCORING = { kind: 'log', base: 2, perTurnPenalty: 0.05 } as const;
/**
 * A label is kept only when the judges put at least 0.99 on it. Measured with built-in debaters and
 * the simulated judge (libs/debate/test/clear-cut-world.test.ts): where neither side cited the hidden
 * objects that decide the count, the judge still put up to 0.97 on the wrong count in the default
 * world (7 of 309 such rooms at 0.95 or more), so 0.8 or 0.95 would keep wrong labels that nothing
 * examined; at 0.99 none pass, while a debate with a side that cites the sensors settles at 1.
 */
const CLEAR_CUT = { method: 'mean', threshold: 0.99 } as const;
/** What every preset shares: one human judge, scored as on the NYU platform, clear-cut labels only. */
const COMMON = { judges: { count: 1, kind: 'human' }, scoring: NYU_SCORING, adjudication: CLEAR_CUT } as const;
const TWO_BUILTIN: ProtocolSpec['debaters'] = [{ backend: 'builtin' }, { backend: 'builtin' }];
/** Khan et al. 2024: three rounds, a word budget of about 150, quotations checked. */
const KHAN = {
  end: { maxRepeats: 3, judgeMayEnd: false },
  limits: { chars: 900, quoteChars: 500, citations: 10, overLimit: 'retry', retries: 1 },
  ...COMMON,
} as const;

/**
 * Protocols from the debate literature, as data. A preset's debaters are built-in model copies and
 * its judges human; to run one against a language model, replace `debaters` with
 * `{ "backend": "openai", "endpoint": "<name>", "model": "<model>" }` entries.
 */
export const PRESETS: Record<string, ProtocolSpec> = {
  /** Michael et al. 2023 (NYU): a judge prior, simultaneous openings, then sequential speeches and judge feedback until the judge ends it. */
  'nyu-2023-debate': {
    kind: 'debate',
    description:
      'NYU 2023 debate: the judge states a prior, both debaters open simultaneously, then sequential speeches alternate with judge feedback until the judge ends the debate. 750 characters and 250 quoted characters per speech; judges scored by log2 of the final probability on the truth minus 0.05 per continued round.',
    structure: {
      opening: [judge(true, 750), { type: 'simultaneous', charLimit: 750, quoteLimit: 250 }, judge(true, 750)],
      repeating: [{ type: 'sequential', charLimit: 750, quoteLimit: 250 }, judge(true, 750)],
      closing: [],
    },
    end: { maxRepeats: 10, judgeMayEnd: true },
    limits: { chars: 750, quoteChars: 250, citations: 10, overLimit: 'truncate' },
    assignment: 'simple-vs-model',
    debaters: TWO_BUILTIN,
    ...COMMON,
  },
  /** Michael et al. 2023 (NYU): one consultant on a random side, sequential speeches and judge feedback until the judge ends it. */
  'nyu-2023-consultancy': {
    kind: 'consultancy',
    description:
      'NYU 2023 consultancy: one consultant argues a side drawn at random; after the judge states a prior, the consultant speaks and the judge gives feedback until the judge ends it. 1500 characters and 500 quoted characters per speech.',
    structure: {
      opening: [judge(true, 750)],
      repeating: [{ type: 'sequential', charLimit: 1500, quoteLimit: 500 }, judge(true, 750)],
      closing: [],
    },
    end: { maxRepeats: 10, judgeMayEnd: true },
    limits: { chars: 1500, quoteChars: 500, citations: 10, overLimit: 'truncate' },
    assignment: 'random',
    debaters: [{ backend: 'builtin' }],
    ...COMMON,
  },
  /** Khan et al. 2024: three rounds of simultaneous speeches, quotations shown as verified or not, judged at the end. */
  'khan-2024-debate': {
    kind: 'debate',
    description:
      'Khan et al. 2024 debate: two debaters argue opposite answers over three rounds of simultaneous speeches; quotations are checked against the story and shown as <v_quote> or <u_quote>; the judge answers at the end.',
    structure: { opening: [], repeating: [{ type: 'simultaneous' }], closing: [judge(false)] },
    assignment: 'simple-vs-model',
    debaters: TWO_BUILTIN,
    ...KHAN,
  },
  /** Khan et al. 2024: interactive debate, where the judge may question the debaters between rounds. */
  'khan-2024-interactive': {
    kind: 'interactive',
    description:
      'Khan et al. 2024 interactive debate: as the debate preset, but after each round the judge may write a question or comment that the debaters read before the next round.',
    structure: { opening: [], repeating: [{ type: 'simultaneous' }, judge(true, 500)], closing: [] },
    assignment: 'simple-vs-model',
    debaters: TWO_BUILTIN,
    ...KHAN,
  },
  /** Khan et al. 2024: consultancy, one consultant on a random side for three rounds. */
  'khan-2024-consultancy': {
    kind: 'consultancy',
    description:
      'Khan et al. 2024 consultancy: a single consultant argues a side drawn at random over three rounds; the judge answers at the end.',
    structure: { opening: [], repeating: [{ type: 'sequential' }], closing: [judge(false)] },
    assignment: 'random',
    debaters: [{ backend: 'builtin' }],
    ...KHAN,
  },
  /** The baseline: the judge answers alone, from what they can see of the item. */
  direct: {
    kind: 'direct',
    description: 'The baseline: no debaters; the judge answers from what they can see of the item alone.',
    structure: { opening: [], repeating: [], closing: [judge(false)] },
    end: { maxRepeats: 0, judgeMayEnd: false },
    limits: { chars: 100, citations: 0, overLimit: 'truncate' },
    assignment: 'simple-vs-model',
    debaters: [],
    ...COMMON,
  },
};
