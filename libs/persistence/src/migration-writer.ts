import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.js';

function quote(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

/**
 * Writes a reversible migration holding the SQL that brings the database's schema in line with the
 * entities, and rewrites the migrations index. Returns the new file, or undefined when nothing changed.
 */
export async function writeMigration(database: Database, dir: string, name: string, now = Date.now()): Promise<string | undefined> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(`migration name must be PascalCase, got "${name}"`);
  const sql = await database.dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) return undefined;
  const className = `${name}${now}`;
  const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
  const down = [...sql.downQueries]
    .reverse()
    .map((q) => `    await queryRunner.query(${quote(q.query)});`)
    .join('\n');
  const file = join(dir, `${now}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`,
  );
  writeMigrationIndex(dir);
  return file;
}

/** migrations/index.ts lists every `<epoch>-<Name>.ts` file in order. */
export function writeMigrationIndex(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
    .sort();
  const classes = files.map((f) => {
    const [epoch, rest] = f.replace(/\.ts$/, '').split('-') as [string, string];
    return { file: f.replace(/\.ts$/, '.js'), name: `${rest}${epoch}` };
  });
  writeFileSync(
    join(dir, 'index.ts'),
    `import type { MigrationInterface } from 'typeorm';
${classes.map((c) => `import { ${c.name} } from './${c.file}';`).join('\n')}

/** Every migration, in order. The schema changes only by adding to this list. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [${classes.map((c) => c.name).join(', ')}];
`,
  );
}
