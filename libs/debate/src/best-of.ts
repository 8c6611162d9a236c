import type { Debater, SpeechRequest } from './debater.js';

/**
 * Best-of-N: samples several candidate speeches and keeps the one `rate` scores highest (the
 * probability a judge model gives the debater's answer after reading it).
 */
export class BestOfDebater implements Debater {
  constructor(
    private readonly sample: (request: SpeechRequest, n: number, signal?: AbortSignal) => Promise<string[]>,
    private readonly rate: (request: SpeechRequest, candidate: string, signal?: AbortSignal) => Promise<number>,
    private readonly n: number,
  ) {}

  async speak(request: SpeechRequest, onText: (delta: string) => void, signal?: AbortSignal): Promise<string> {
    const candidates = await this.sample(request, this.n, signal);
    if (candidates.length === 0) throw new Error('the model returned no candidate speech');
    let best = candidates[0]!;
    let bestScore = -Infinity;
    for (const candidate of candidates) {
      const score = await this.rate(request, candidate, signal);
      if (score > bestScore) [best, bestScore] = [candidate, score];
    }
    onText(best);
    return best;
  }
}
