import { describe, expect, it } from 'vitest';
import { probabilityProblem } from '../src/index.js';

describe('probabilityProblem', () => {
  it('accepts a distribution over the answers', () => {
    expect(probabilityProblem([0.2, 0.3, 0.5], 3)).toBeUndefined();
    expect(probabilityProblem([1, 0], 2)).toBeUndefined();
    expect(probabilityProblem([0.1, 0.2, 0.7 + 5e-7], 3)).toBeUndefined();
  });

  it('refuses anything but an array', () => {
    for (const value of [undefined, null, 0.5, '0.5,0.5', { 0: 0.5, 1: 0.5, length: 2 }]) {
      expect(probabilityProblem(value, 2)).toMatch(/must be an array/);
    }
  });

  it('refuses the wrong number of entries', () => {
    expect(probabilityProblem([1], 2)).toMatch(/one entry per answer \(2\), got 1/);
    expect(probabilityProblem([0.5, 0.25, 0.25], 2)).toMatch(/got 3/);
  });

  it('refuses entries out of range or not numbers, naming the index', () => {
    expect(probabilityProblem([1.5, -0.5], 2)).toMatch(/probabilities\[0\]/);
    expect(probabilityProblem([0.5, -0.1, 0.6], 3)).toMatch(/probabilities\[1\]/);
    expect(probabilityProblem([0.5, Number.NaN], 2)).toMatch(/probabilities\[1\]/);
    expect(probabilityProblem([Number.POSITIVE_INFINITY, 0], 2)).toMatch(/probabilities\[0\]/);
    expect(probabilityProblem(['0.5', 0.5], 2)).toMatch(/probabilities\[0\]/);
    expect(probabilityProblem([null, 1], 2)).toMatch(/probabilities\[0\]/);
  });

  it('refuses a sum off 1 by more than 1e-6', () => {
    expect(probabilityProblem([0.5, 0.4], 2)).toMatch(/sum to 1/);
    expect(probabilityProblem([0.5, 0.5 + 2e-6], 2)).toMatch(/sum to 1/);
    expect(probabilityProblem([0, 0], 2)).toMatch(/sum to 1/);
  });
});
