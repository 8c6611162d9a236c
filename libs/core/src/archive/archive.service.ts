import { realpathSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { resolve, sep } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import {
  ArchiveError,
  archivedDebate,
  correctSeats,
  nyuProtocol,
  openArchive,
  nyuArchiveEntries,
  type ArchiveFiles,
  type NyuRoom,
  type NyuSetting,
  type Skipped,
} from '#tribunal/archive';
import type { TribunalConfig } from '#tribunal/config';
import { Conflict, Forbidden, Invalid, Unavailable } from '#tribunal/contracts';
import { DatasetRepository, ArchiveRepository, ProtocolRepository } from '#tribunal/persistence';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';

export interface ImportReport {
  datasetId: string;
  imported: number;
  skipped: Skipped[];
  protocols: Record<NyuSetting, string[]>;
  /**
   * How many of the archive's rooms (imported now or before) have the correct answer in each seat:
   * the NYU 2023 archive has it in seat B in 290 of 517, so a judge who always picks B scores 56%.
   */
  correctSeat: { rooms: number; A: number; B: number };
}

/** Brings archives of other debate platforms into Tribunal; importing twice adds nothing. */
@Injectable()
export class ArchiveService {
  private readonly logger = new Logger(ArchiveService.name);

  constructor(
    private readonly protocolRepository: ProtocolRepository,
    private readonly datasetRepository: DatasetRepository,
    private readonly archiveRepository: ArchiveRepository,
    private readonly protocols: ProtocolsService,
    @InjectConfig() private readonly config: Pick<TribunalConfig, 'importDir'>,
  ) {}

  /**
   * Imports an archive an API client names: only from below the configured import directory
   * (relative paths are taken from it). A path outside it, or one that does not exist, is refused
   * with the same message, so the API does not tell which paths exist on the server.
   */
  async importNyuFromImportDir(path: string, datasetName: string): Promise<ImportReport> {
    const dir = this.config.importDir;
    if (!dir) {
      throw new Forbidden(
        "importing from the server's file system is off: an operator sets TRIBUNAL_IMPORT_DIR to the directory archives may be imported from (the command line, `tribunal import nyu PATH`, imports any path)",
      );
    }
    let base: string;
    try {
      base = realpathSync(dir);
    } catch {
      throw new Unavailable('the import directory (TRIBUNAL_IMPORT_DIR) does not exist on the server');
    }
    const refused = new Invalid(`no archive at "${path}" in the import directory: give a path inside the server's TRIBUNAL_IMPORT_DIR`);
    let real: string;
    try {
      if (path.includes('\0')) throw refused;
      // The real path, links resolved: a link inside the directory that leads out of it is refused too.
      real = realpathSync(resolve(base, path));
    } catch {
      throw refused;
    }
    if (real !== base && !real.startsWith(base + sep)) throw refused;
    return this.importFrom(real, path, datasetName);
  }

  /** Imports an archive in the NYU platform's format, from its directory or its .tgz, wherever it is (the command line's import). */
  importNyu(path: string, datasetName: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    return this.importFrom(path, path, datasetName, onProgress);
  }

  private async importFrom(
    path: string,
    label: string,
    datasetName: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportReport> {
    let rooms: NyuRoom[];
    let skipped: Skipped[];
    try {
      let files: ArchiveFiles;
      try {
        files = await openArchive(path);
      } catch (error) {
        if (error instanceof ArchiveError) throw error;
        // The file system's code only: its message would repeat the path, never needed twice.
        throw new ArchiveError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`);
      }
      rooms = [];
      skipped = [];
      // Room by room, with a turn of the event loop between them: reading the archive takes about a
      // second, and the process serving judges must keep answering meanwhile.
      for (const entry of nyuArchiveEntries(files)) {
        if ('room' in entry) rooms.push(entry.room);
        else skipped.push(entry.skipped);
        await setImmediate();
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw new Invalid(`cannot import the archive at ${label}: ${error.message}`);
      throw error;
    }
    const existing = await this.datasetRepository.byName(datasetName);
    if (existing && existing.status !== 'ready') throw new Conflict(`the dataset "${datasetName}" is still loading`);
    const dataset =
      existing ??
      (await this.datasetRepository.load({ name: datasetName, source: 'import', params: { archive: 'nyu-debate-2023', path: label } }, []));
    const done = await this.archiveRepository.importedIds(dataset.id);
    const protocolIds = new Map<string, string>();
    const protocols = {} as Record<NyuSetting, string[]>;
    let imported = 0;
    for (const [i, room] of rooms.entries()) {
      onProgress?.(i, rooms.length);
      if (i > 0 && i % 100 === 0) this.logger.log(`importing into "${datasetName}": ${i} of ${rooms.length} rooms`);
      // Each room is its own transaction; between them, others are served.
      await setImmediate();
      if (done.has(room.name)) {
        skipped.push({ room: room.name, reason: 'already imported' });
        continue;
      }
      const spec = nyuProtocol(room);
      const key = JSON.stringify(spec);
      let protocolId = protocolIds.get(key);
      if (!protocolId) {
        protocolId = await this.protocolFor(`nyu-2023-${room.setting}`, spec);
        protocolIds.set(key, protocolId);
        (protocols[room.setting] ??= []).push(protocolId);
      }
      await this.archiveRepository.write(archivedDebate(room, dataset.id, protocolId));
      imported++;
    }
    onProgress?.(rooms.length, rooms.length);
    this.logger.log(`imported ${imported} rooms into "${datasetName}", skipped ${skipped.length}`);
    return { datasetId: dataset.id, imported, skipped, protocols, correctSeat: correctSeats(rooms) };
  }

  /** The version of the named protocol with exactly this spec, added if there is none. */
  private async protocolFor(name: string, spec: object): Promise<string> {
    const wanted = JSON.stringify(spec);
    const existing = (await this.protocolRepository.list()).find((p) => p.name === name && JSON.stringify(p.spec) === wanted);
    return existing?.id ?? (await this.protocols.create(name, spec, null)).id;
  }
}
