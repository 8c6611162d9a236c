import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generate.js';

/** `npm run openapi`: writes the OpenAPI document and the client types generated from it. */
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
for (const [path, text] of Object.entries(await generatedFiles())) {
  writeFileSync(join(root, path), text);
  process.stdout.write(`wrote ${path}\n`);
}
