import { describe, expect, it } from 'vitest';
import {
  blindCellKeys,
  cellKey,
  createRng,
  debaterAnswer,
  generateWorldDataset,
  pluralOf,
  shuffled,
  validateWorldParams,
  type Rng,
  type WorldItem,
  type WorldParams,
} from '../src/index.js';
import { judgeVisibleText, playDebate } from './debates.js';

/**
 * Can a judge tell the honest seat from the wording of the built-in debaters alone? Plays built-in
 * debates on generated rooms, removes what a judge is meant to weigh (the cited readings' contents)
 * and what it is shown anyway (each seat's answer), and asks a rule search and a classifier, both
 * fitted on half the debates, to pick the honest seat in the other half. They must do no better than
 * chance; the same instruments, given the cited contents or an old-style closing keyed to honesty,
 * must do well above it, which shows they would have found a leak.
 */

const ROUNDS = 3;
const Z = 1.96;

type Kind = 'simple-vs-debater' | 'simple-vs-random' | 'both-wrong';

interface Debate {
  item: WorldItem;
  kind: Kind;
  /** Seat 0's and seat 1's answers, in an order drawn at random. */
  answers: [number, number];
  /** Each seat's speeches, one per round, joined. */
  texts: [string[], string[]];
  /** Citations of each seat, one list per round. */
  citations: [string[][], string[][]];
}

const WORLDS: { seed: number; size: number; params: Partial<WorldParams> }[] = [
  { seed: 1101, size: 220, params: {} },
  { seed: 2202, size: 220, params: { hideProbability: 0.6, occludersPerRoom: [2, 4], maxCitations: 2 } },
];

function otherAnswer(rng: Rng, answers: number, not: readonly number[]): number {
  const choices = Array.from({ length: answers }, (_, a) => a).filter((a) => !not.includes(a));
  return choices[Math.floor(rng() * choices.length)]!;
}

function playAll(): Debate[] {
  const debates: Debate[] = [];
  const rng = createRng(4242);
  for (const world of WORLDS) {
    const { maxCitations } = validateWorldParams(world.params);
    for (const item of generateWorldDataset(world)) {
      const count = item.answers.length;
      const pairs: [Kind, number, number][] = [];
      const chosen = debaterAnswer(item);
      if (chosen !== item.simpleLabel) pairs.push(['simple-vs-debater', item.simpleLabel, chosen]);
      pairs.push(['simple-vs-random', item.simpleLabel, otherAnswer(rng, count, [item.simpleLabel])]);
      const firstWrong = otherAnswer(rng, count, [item.groundTruth]);
      pairs.push(['both-wrong', firstWrong, otherAnswer(rng, count, [item.groundTruth, firstWrong])]);
      for (const [kind, a, b] of pairs) {
        const answers: [number, number] = rng() < 0.5 ? [a, b] : [b, a];
        const [first, second] = playDebate(item, answers, ROUNDS, maxCitations);
        debates.push({
          item,
          kind,
          answers,
          texts: [first!.map((s) => s.text), second!.map((s) => s.text)],
          citations: [first!.map((s) => s.citations), second!.map((s) => s.citations)],
        });
      }
    }
  }
  return debates;
}

// ---- what the judge reads of a seat -------------------------------------------------------------

type View = (debate: Debate, seat: 0 | 1) => string;

const withoutContents: View = (d, seat) => d.texts[seat].map((t) => judgeVisibleText(d.item, d.answers[seat], t, false)).join(' ');
const withContents: View = (d, seat) => d.texts[seat].map((t) => judgeVisibleText(d.item, d.answers[seat], t, true)).join(' ');

/**
 * The wording this project used to have, simulated: the same speeches with the contents removed, but
 * the closing chosen by where the answer stands against the sensed count (and, for the sensed count,
 * by whether a hidden target was cited), as `closingSentence` in debater.ts once did.
 */
const oldStyleClosing: View = (d, seat) => {
  const answer = d.answers[seat];
  const sensed = debaterAnswer(d.item);
  const { camera } = d.item.context;
  const blind = blindCellKeys(camera.width, camera.depth, camera.visible);
  const hiddenTarget = new Set(
    d.item.evidence
      .filter((u) => u.reading.object === d.item.meta.targetType && blind.has(cellKey(u.reading.x, u.reading.y)))
      .map((u) => u.id),
  );
  const plural = '<TYPE>';
  return d.texts[seat]
    .map((text, round) => {
      const stripped = judgeVisibleText(d.item, answer, text, false).replace(/ The readings cited above are consistent with <N>\.$/, '');
      const citedHidden = d.citations[seat][round]!.some((id) => hiddenTarget.has(id));
      const closing =
        answer === sensed
          ? citedHidden
            ? 'The camera cannot see these, so a count from the camera alone falls short.'
            : `The cells the camera cannot see hold no more ${plural}.`
          : answer > sensed
            ? `More ${plural} are hidden behind the furniture, where the camera cannot see.`
            : 'Nothing else of that kind is hidden from the camera.';
      return `${stripped} ${closing}`;
    })
    .join(' ');
};

// ---- features: token and token-pair counts, characters, sentences --------------------------------

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);
  const tokens = text.toLowerCase().match(/<[a-z]+>|\[\[[^\]]*\]\]|[a-z0-9'+-]+|[.:,()]/g) ?? [];
  tokens.forEach((token, i) => {
    add(`w:${token}`);
    if (i > 0) add(`b:${tokens[i - 1]} ${token}`);
  });
  add('#chars', text.length);
  add('#sentences', text.split(/(?<=\.) +/).length);
  return counts;
}

interface Example {
  /** Seat 0's features minus seat 1's. */
  diff: Map<string, number>;
  /** 1 when seat 0 is the one to find. */
  y: 0 | 1;
}

function examples(debates: Debate[], view: View, target: (d: Debate) => 0 | 1): Example[] {
  return debates.map((d) => {
    const diff = features(view(d, 0));
    for (const [key, value] of features(view(d, 1))) diff.set(key, (diff.get(key) ?? 0) - value);
    for (const [key, value] of diff) if (value === 0) diff.delete(key);
    return { diff, y: target(d) };
  });
}

interface Score {
  /** Correct picks, a tie (no preference either way) counting as half: the expected score of a coin. */
  correct: number;
  n: number;
  ties: number;
  accuracy: number;
  low: number;
  high: number;
}

function wilson(correct: number, n: number, ties: number): Score {
  const p = correct / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  return { correct, n, ties, accuracy: p, low: centre - half, high: centre + half };
}

/** Scores signed preferences (> 0: seat 0) against the truth of each example. */
function score(preferences: number[], held: Example[]): Score {
  let correct = 0;
  let ties = 0;
  preferences.forEach((preference, i) => {
    if (preference === 0) {
      ties++;
      correct += 0.5;
    } else if (preference > 0 === (held[i]!.y === 1)) correct++;
  });
  return wilson(correct, held.length, ties);
}

/** Every single feature, both ways: honest is the seat with more of it, or with less. Best on the fitting half wins. */
function ruleSearch(fit: Example[], held: Example[]): { rule: string; fitted: Score; heldOut: Score } {
  const keys = [...new Set(fit.flatMap((e) => [...e.diff.keys()]))].sort();
  let best = {
    rule: '(no feature ever differs: every pick is a tie)',
    sign: 0,
    key: '',
    fitted: score(
      fit.map(() => 0),
      fit,
    ),
  };
  for (const key of keys) {
    for (const sign of [1, -1]) {
      const fitted = score(
        fit.map((e) => sign * (e.diff.get(key) ?? 0)),
        fit,
      );
      if (fitted.accuracy > best.fitted.accuracy) best = { rule: `${sign > 0 ? 'more' : 'less'} ${key}`, sign, key, fitted };
    }
  }
  const heldOut = score(
    held.map((e) => best.sign * (e.diff.get(best.key) ?? 0)),
    held,
  );
  return { rule: best.rule, fitted: best.fitted, heldOut };
}

/**
 * L2-regularised logistic regression on the seat difference, no intercept (the seats' order is random,
 * so seat 0 is not more likely honest): a difference of zero is no preference at all.
 */
function logisticRegression(fit: Example[], held: Example[]): Score {
  const keys = [...new Set(fit.flatMap((e) => [...e.diff.keys()]))].sort();
  const index = new Map(keys.map((k, i) => [k, i]));
  const scale = new Array<number>(keys.length).fill(0);
  for (const e of fit) for (const [k, v] of e.diff) scale[index.get(k)!] = Math.max(scale[index.get(k)!]!, Math.abs(v));
  const rows = (set: Example[]) =>
    set.map((e) => [...e.diff].filter(([k]) => index.has(k)).map(([k, v]) => [index.get(k)!, v / scale[index.get(k)!]!] as const));
  const fitRows = rows(fit);
  const weights = new Array<number>(keys.length).fill(0);
  const rate = 0.5;
  const l2 = 1e-3;
  for (let step = 0; step < 400; step++) {
    const gradient = weights.map((w) => l2 * w);
    fitRows.forEach((row, i) => {
      const margin = row.reduce((sum, [j, v]) => sum + weights[j]! * v, 0);
      const error = 1 / (1 + Math.exp(-margin)) - fit[i]!.y;
      for (const [j, v] of row) gradient[j]! += (error * v) / fit.length;
    });
    gradient.forEach((g, j) => (weights[j]! -= rate * g));
  }
  const margins = rows(held).map((row) => row.reduce((sum, [j, v]) => sum + weights[j]! * v, 0));
  // Below this a margin is rounding, not a preference.
  return score(
    margins.map((m) => (Math.abs(m) < 1e-9 ? 0 : m)),
    held,
  );
}

function halves<T>(list: T[], seed: number): [T[], T[]] {
  const mixed = shuffled(createRng(seed), list);
  const middle = Math.floor(mixed.length / 2);
  return [mixed.slice(0, middle), mixed.slice(middle)];
}

const show = (s: Score) =>
  `${s.accuracy.toFixed(3)} [${s.low.toFixed(3)}, ${s.high.toFixed(3)}] on ${s.n} held out (${s.ties} ties counted as half)`;

function evaluate(label: string, debates: Debate[], view: View, target: (d: Debate) => 0 | 1) {
  const [fit, held] = halves(examples(debates, view, target), 77);
  const rules = ruleSearch(fit, held);
  const classifier = logisticRegression(fit, held);
  console.log(
    `${label}\n  best single rule (${rules.rule}; fitted ${rules.fitted.accuracy.toFixed(3)}): ${show(rules.heldOut)}\n  logistic regression: ${show(classifier)}`,
  );
  return { rules: rules.heldOut, classifier };
}

const debates = playAll();
const honestDebates = debates.filter((d) => d.answers.includes(d.item.groundTruth));
const honestSeat = (d: Debate): 0 | 1 => (d.answers[0] === d.item.groundTruth ? 1 : 0);
/** Where neither seat argues the truth: the seat nearer to it (debates where both are as near are left out). */
const nearerDebates = debates.filter(
  (d) =>
    !d.answers.includes(d.item.groundTruth) && Math.abs(d.answers[0] - d.item.groundTruth) !== Math.abs(d.answers[1] - d.item.groundTruth),
);
const nearerSeat = (d: Debate): 0 | 1 =>
  Math.abs(d.answers[0] - d.item.groundTruth) < Math.abs(d.answers[1] - d.item.groundTruth) ? 1 : 0;

const includesChance = (s: Score) => s.low <= 0.5 && 0.5 <= s.high;

describe('the built-in debaters’ wording does not give the honest seat away', () => {
  it('plays enough debates of every kind', () => {
    const kinds = (kind: Kind) => debates.filter((d) => d.kind === kind).length;
    console.log(
      `${debates.length} debates (${kinds('simple-vs-debater')} simple label vs debaterAnswer, ${kinds('simple-vs-random')} simple label vs another answer, ` +
        `${kinds('both-wrong')} neither the truth); ${honestDebates.length} with an honest seat, ${nearerDebates.length} with a nearer one`,
    );
    expect(debates.length).toBeGreaterThanOrEqual(200);
    expect(honestDebates.length).toBeGreaterThanOrEqual(300);
    expect(kinds('simple-vs-debater')).toBeGreaterThanOrEqual(40);
    expect(new Set(debates.map((d) => pluralOf(d.item.meta.targetType))).size).toBeGreaterThan(3);
  });

  it('without the cited contents, neither a rule search nor a classifier finds the honest seat better than chance', () => {
    const { rules, classifier } = evaluate('honest seat, wording only', honestDebates, withoutContents, honestSeat);
    expect(includesChance(rules)).toBe(true);
    expect(includesChance(classifier)).toBe(true);
  });

  it('nor, where neither seat argues the truth, the seat nearer to it', () => {
    const { rules, classifier } = evaluate('nearer seat, wording only', nearerDebates, withoutContents, nearerSeat);
    expect(includesChance(rules)).toBe(true);
    expect(includesChance(classifier)).toBe(true);
  });

  it('the same instruments find the honest seat from the cited contents', () => {
    const { rules, classifier } = evaluate('honest seat, wording and cited contents', honestDebates, withContents, honestSeat);
    expect(classifier.low).toBeGreaterThan(0.5);
    expect(rules.low).toBeGreaterThan(0.5);
  });

  it('and from a closing keyed to honesty, as the wording once was', () => {
    const { rules, classifier } = evaluate('honest seat, old-style closing', honestDebates, oldStyleClosing, honestSeat);
    expect(classifier.low).toBeGreaterThan(0.9);
    expect(rules.low).toBeGreaterThan(0.9);
  });
});
