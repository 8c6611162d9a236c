import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../apps/api/src/openapi/generate.js';

describe('the committed API contract', () => {
  it('is what the routes describe now: the OpenAPI document and the client types generated from it (npm run openapi)', async () => {
    const files = await generatedFiles();
    for (const [path, text] of Object.entries(files)) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run openapi`).toBe(text);
    }
  }, 60_000);

  it('describes a response for every operation', async () => {
    const document = JSON.parse((await generatedFiles())['apps/api/openapi.json']!) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    const undescribed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !Object.entries(operation.responses).some(([status, r]) => /^2/.test(status) && r.content))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(undescribed).toEqual([]);
  }, 60_000);
});
