import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD_PARAMS, validateWorldParams, type WorldParams } from '../src/index.js';

describe('validateWorldParams', () => {
  it('fills defaults', () => {
    expect(validateWorldParams({})).toEqual({
      width: 6,
      depth: 6,
      objectsPerRoom: [2, 7],
      occludersPerRoom: [1, 3],
      hideProbability: 0.35,
      labellerNoise: 0.08,
      maxCitations: 3,
    });
    expect(validateWorldParams({ hideProbability: 0.9, width: 8 })).toMatchObject({ hideProbability: 0.9, width: 8 });
    expect(validateWorldParams({ depth: undefined }).depth).toBe(DEFAULT_WORLD_PARAMS.depth);
  });

  it('does not share arrays with the defaults', () => {
    const params = validateWorldParams({});
    params.objectsPerRoom[0] = 99;
    expect(DEFAULT_WORLD_PARAMS.objectsPerRoom[0]).toBe(2);
  });

  it.each<[Partial<WorldParams>, string]>([
    [{ hideProbability: 2 }, 'world.hideProbability must be between 0 and 1, got 2'],
    [{ hideProbability: -0.1 }, 'world.hideProbability must be between 0 and 1, got -0.1'],
    [{ labellerNoise: Number.NaN }, 'world.labellerNoise must be between 0 and 1, got NaN'],
    [{ width: 0 }, 'world.width must be an integer between 1 and 32, got 0'],
    [{ width: 2.5 }, 'world.width must be an integer between 1 and 32, got 2.5'],
    [{ depth: 1 }, 'world.depth must be an integer between 2 and 32, got 1'],
    [{ maxCitations: -1 }, 'world.maxCitations must be an integer at least 0, got -1'],
  ])('rejects %j', (params, message) => {
    expect(() => validateWorldParams(params)).toThrow(message);
  });

  it.each<[Partial<WorldParams>, RegExp]>([
    [{ objectsPerRoom: [5, 2] }, /^world\.objectsPerRoom must be .*got \[5,2\]$/],
    [{ objectsPerRoom: [-1, 2] }, /^world\.objectsPerRoom /],
    [{ width: 2, depth: 2, occludersPerRoom: [0, 1], objectsPerRoom: [1, 4] }, /^world\.objectsPerRoom .*own cell/],
    [{ width: 2, occludersPerRoom: [1, 3] }, /^world\.occludersPerRoom .*per column/],
  ])('rejects ranges %j', (params, message) => {
    expect(() => validateWorldParams(params)).toThrow(message);
  });

  it('rejects values of the wrong type and unknown fields, as from a JSON config', () => {
    const fromJson = (text: string) => JSON.parse(text) as Partial<WorldParams>;
    expect(() => validateWorldParams(fromJson('{"width":"6"}'))).toThrow('world.width must be an integer');
    expect(() => validateWorldParams(fromJson('{"occludersPerRoom":[1]}'))).toThrow('world.occludersPerRoom');
    expect(() => validateWorldParams(fromJson('{"roomSize":6}'))).toThrow('world.roomSize is not a world parameter');
    expect(() => validateWorldParams(fromJson('null'))).toThrow('world params must be an object');
  });
});
