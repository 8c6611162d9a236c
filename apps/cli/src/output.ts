/**
 * How a command prints: its result on standard output, as text for a person, or with `--json` as
 * one JSON document (the shape the HTTP API answers for the same thing, where it has one: README,
 * "Command line"). Progress bars and remarks go to standard error when standard output carries JSON,
 * so `tribunal … --json | jq` always reads a whole document.
 */

/** The option every command with a result accepts, for `parseArgs`. */
export const JSON_OPTION = { json: { type: 'boolean', default: false } } as const;

export interface Output {
  json: boolean;
}

/** The command's result: JSON with --json, else the text `text` makes of it. */
export function printResult<T>(output: Output, value: T, text: (value: T) => string): void {
  process.stdout.write(output.json ? `${JSON.stringify(value, null, 2)}\n` : `${text(value)}\n`);
}

/** A remark for a person (a job queued, where files went): standard output, or standard error with --json. */
export function remark(output: Output, line: string): void {
  (output.json ? process.stderr : process.stdout).write(`${line}\n`);
}

/** Rows as a plain text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
