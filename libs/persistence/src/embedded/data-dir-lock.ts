import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive claim on an embedded data directory. Two processes opening one PGlite directory do not
 * fail, they silently diverge; the claim makes the second one stop with a message instead. A claim
 * left by a process that no longer runs is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'tribunal.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
          throw new DataDirInUseError(
            `the embedded database in ${dataDir} is in use by process ${holder}; stop it, ` +
              'or set TRIBUNAL_DATA_DIR to another directory, or DATABASE_URL to a PostgreSQL server',
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new DataDirInUseError(`could not claim the embedded database in ${dataDir}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}
