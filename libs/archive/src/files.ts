import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/**
 * An archive refused or unreadable, with a message that names the entry and the problem and never
 * quotes the archive's content.
 */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

/** The files of an archive, by their path inside it ("debates/official/x.json"). */
export interface ArchiveFiles {
  /** The file's bytes as text; undefined when the archive holds no regular file at this path. */
  read(path: string): string | undefined;
  /** The names of the regular files directly in this directory of the archive. */
  list(dir: string): string[];
}

/** The most a .tgz may unpack to: the NYU 2023 archive unpacks to 32 MB. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

const LINKS = 'archives holding links are refused, as a link could make the import read a file outside the archive';

/** Files held in memory, as a .tgz unpacks. */
class MemoryFiles implements ArchiveFiles {
  constructor(private readonly files: ReadonlyMap<string, Buffer>) {}
  read(path: string): string | undefined {
    return this.files.get(path)?.toString('utf8');
  }
  list(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...this.files.keys()]
      .filter((name) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
      .map((name) => name.slice(prefix.length));
  }
}

/** A directory on disk, checked at opening for links; each file is opened without following a link. */
class DirectoryFiles implements ArchiveFiles {
  constructor(private readonly root: string) {}
  read(path: string): string | undefined {
    let fd: number;
    try {
      fd = openSync(join(this.root, path), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      if (code === 'ELOOP') throw new ArchiveError(`the archive's entry "${path}" is a symbolic link: ${LINKS}`);
      throw new ArchiveError(`cannot read the archive's entry "${path}" (${code ?? 'unknown error'})`);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      if (stat.nlink > 1) throw new ArchiveError(`the archive's entry "${path}" is a hard link: ${LINKS}`);
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  }
  list(dir: string): string[] {
    try {
      return readdirSync(join(this.root, dir), { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  }
}

/** Refuses a directory holding a symbolic link or a hard-linked file anywhere below it. */
function refuseLinks(root: string, relative = ''): void {
  for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) throw new ArchiveError(`the archive's entry "${path}" is a symbolic link: ${LINKS}`);
    if (entry.isDirectory()) refuseLinks(root, path);
    else if (entry.isFile() && lstatSync(join(root, path)).nlink > 1)
      throw new ArchiveError(`the archive's entry "${path}" is a hard link: ${LINKS}`);
  }
}

/** A directory in an archive's format, refused if it holds a link. */
export function directoryFiles(dir: string): ArchiveFiles {
  const root = realpathSync(dir);
  refuseLinks(root);
  return new DirectoryFiles(root);
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number, what: string): number {
  const text = field(header, start, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError(`not a tar archive: an entry's ${what} is not a number`);
  return text ? parseInt(text, 8) : 0;
}

/** The pax extended header's path, if it gives one. */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

/** An entry's path as a key: "./a//b" is "a/b". */
function normalised(name: string): string {
  return posix
    .normalize(name)
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

/**
 * The regular files of a gzipped tar, unpacked in memory (nothing is written to disk). An archive
 * holding a symbolic or hard link, a device or a pipe is refused, naming the entry.
 */
export function untar(tar: Buffer): ArchiveFiles {
  const files = new Map<string, Buffer>();
  let at = 0;
  let longName: string | undefined;
  let pax: string | undefined;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    const checksum = octal(header, 148, 8, 'checksum');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (sum !== checksum) throw new ArchiveError(`not a tar archive: the header at byte ${at} fails its checksum`);
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156]!);
    const prefix = field(header, 345, 155);
    const name = normalised(longName ?? pax ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)));
    const data = tar.subarray(at + 512, at + 512 + size);
    if (data.length < size) throw new ArchiveError(`the archive is truncated: its entry "${name}" is cut short`);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = paxPath(data);
      continue;
    }
    if (type === 'g' || type === 'K') continue;
    longName = undefined;
    pax = undefined;
    if (type === '2') throw new ArchiveError(`the archive's entry "${name}" is a symbolic link: ${LINKS}`);
    if (type === '1') throw new ArchiveError(`the archive's entry "${name}" is a hard link: ${LINKS}`);
    if (type === '5') continue;
    if (type !== '0' && type !== '\0' && type !== '7')
      throw new ArchiveError(`the archive's entry "${name}" is not a regular file or a directory (tar type "${type}")`);
    files.set(name, Buffer.from(data));
  }
  return new MemoryFiles(files);
}

/** Reads a .tgz into memory, unpacked, refusing links; gunzipping runs off the event loop. */
export async function tgzFiles(path: string): Promise<ArchiveFiles> {
  const packed = await readFile(path);
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(packed, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ArchiveError(`the archive unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`);
    throw new ArchiveError(`not a gzipped tar archive (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  return untar(tar);
}

/** An archive's files, from its directory or its .tgz. */
export async function openArchive(path: string): Promise<ArchiveFiles> {
  const stat = statSync(path);
  if (stat.isDirectory()) return directoryFiles(path);
  if (!stat.isFile()) throw new ArchiveError('it is neither a directory nor a .tgz file');
  return tgzFiles(path);
}
