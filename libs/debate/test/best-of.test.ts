import { describe, expect, it } from 'vitest';
import { BestOfDebater, type SpeechRequest } from '../src/index.js';
import { speechRequest, textItem } from './factories.js';

const request = speechRequest(textItem([{ id: 'p', kind: 'passage', text: 'Some passage.' }]));

/** A best-of debater over fixed candidates and ratings, recording how it was called. */
function bestOf(candidates: string[], ratings: Record<string, number>, n = candidates.length) {
  const calls = {
    sample: [] as { request: SpeechRequest; n: number; signal?: AbortSignal }[],
    rate: [] as { candidate: string; signal?: AbortSignal }[],
  };
  const debater = new BestOfDebater(
    (req, count, signal) => {
      calls.sample.push({ request: req, n: count, signal });
      return Promise.resolve(candidates);
    },
    (_req, candidate, signal) => {
      calls.rate.push({ candidate, signal });
      return Promise.resolve(ratings[candidate] ?? 0);
    },
    n,
  );
  return { debater, calls };
}

async function speak(debater: BestOfDebater, signal?: AbortSignal): Promise<{ text: string; deltas: string[] }> {
  const deltas: string[] = [];
  const text = await debater.speak(request, (d) => deltas.push(d), signal);
  return { text, deltas };
}

describe('BestOfDebater', () => {
  it('keeps the best-rated candidate and reports it through onText, once', async () => {
    const { debater } = bestOf(['first', 'second', 'third'], { first: 0.2, second: 0.9, third: 0.5 });
    expect(await speak(debater)).toEqual({ text: 'second', deltas: ['second'] });
  });

  it('finds the best wherever it stands', async () => {
    expect((await speak(bestOf(['a', 'b', 'c'], { a: 0.1, b: 0.2, c: 0.3 }).debater)).text).toBe('c');
    expect((await speak(bestOf(['a', 'b', 'c'], { a: 0.7, b: 0.2, c: 0.3 }).debater)).text).toBe('a');
  });

  it('keeps the first of equally rated candidates', async () => {
    expect((await speak(bestOf(['a', 'b', 'c'], { a: 0.4, b: 0.6, c: 0.6 }).debater)).text).toBe('b');
  });

  it('picks the highest even when every rating is negative', async () => {
    expect((await speak(bestOf(['a', 'b'], { a: -3, b: -1 }).debater)).text).toBe('b');
  });

  it('samples n candidates for the request and rates each one, passing the signal on', async () => {
    const { debater, calls } = bestOf(['x', 'y'], { x: 1, y: 0 }, 4);
    const signal = new AbortController().signal;
    await speak(debater, signal);
    expect(calls.sample).toEqual([{ request, n: 4, signal }]);
    expect(calls.rate).toEqual([
      { candidate: 'x', signal },
      { candidate: 'y', signal },
    ]);
  });

  it('fails, reporting nothing, when sampling fails', async () => {
    const debater = new BestOfDebater(
      () => Promise.reject(new Error('endpoint down')),
      () => Promise.resolve(1),
      2,
    );
    const deltas: string[] = [];
    await expect(debater.speak(request, (d) => deltas.push(d))).rejects.toThrow('endpoint down');
    expect(deltas).toEqual([]);
  });
});
