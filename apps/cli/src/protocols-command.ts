import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { TribunalConfig } from '#tribunal/config';
import { ProtocolsModule, ProtocolsService } from '#tribunal/core';
import { PRESETS } from '#tribunal/debate';
import { withModules } from '../../bootstrap/src/command-context.js';
import { toProtocolVersionView } from '../../api/src/http/mappers.js';
import { JSON_OPTION, printResult } from './output.js';

export const PROTOCOLS_USAGE = `protocols presets [NAME]              list the presets, or print one as JSON to start from
  protocols create NAME --file SPEC     add a protocol (or its next version) from a JSON or YAML file
  protocols list                        every protocol version
    (--json: the presets, the version added, or the versions, as JSON)`;

export class UsageError extends Error {}

/** A protocol spec from a file: YAML (a superset of JSON) unless it fails to parse, which names the file and line. */
export function readSpec(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new UsageError(`${file} is neither JSON nor YAML: ${(error as Error).message}`);
  }
}

export async function protocolsCommand(args: string[], config: TribunalConfig): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: { file: { type: 'string' }, ...JSON_OPTION }, allowPositionals: true });
  if (sub === 'presets') {
    const [name] = positionals;
    if (!name) {
      // With --json, the specs by name, as GET /protocols/presets answers.
      printResult(values, PRESETS, (presets) =>
        Object.entries(presets)
          .map(([preset, spec]) => `${preset.padEnd(24)} ${spec.description ?? spec.kind}`)
          .join('\n'),
      );
      return;
    }
    const spec = PRESETS[name];
    if (!spec) throw new UsageError(`no preset named "${name}"; the presets are ${Object.keys(PRESETS).join(', ')}`);
    console.log(JSON.stringify(spec, null, 2));
    return;
  }
  const withProtocols = <T>(work: (service: ProtocolsService) => Promise<T>) =>
    withModules(config, [ProtocolsModule], (context) => work(context.get(ProtocolsService)));
  if (sub === 'create') {
    const [name] = positionals;
    if (!name || !values.file) throw new UsageError('usage: tribunal protocols create NAME --file SPEC.(json|yaml)');
    const spec = readSpec(values.file);
    const created = toProtocolVersionView(await withProtocols((service) => service.create(name, spec, null)));
    printResult(values, created, (p) => `added protocol "${p.name}" version ${p.version} (${p.id})`);
    return;
  }
  if (sub === 'list') {
    const versions = (await withProtocols((service) => service.list())).map(toProtocolVersionView);
    printResult(values, versions, (list) =>
      list.length
        ? list.map((p) => `${p.id}  ${p.name} v${p.version}  ${p.kind}${p.lockedAt ? '  (used)' : ''}`).join('\n')
        : 'no protocols yet',
    );
    return;
  }
  throw new UsageError(`usage:\n  ${PROTOCOLS_USAGE}`);
}
