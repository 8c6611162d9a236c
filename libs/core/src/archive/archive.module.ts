import { Module } from '@nestjs/common';
import { ProtocolsModule } from '../protocols/protocols.module.js';
import { ArchiveService } from './archive.service.js';

/** Imports archived debates (e.g. the NYU debate archive) as a dataset with its debates. */
@Module({ imports: [ProtocolsModule], providers: [ArchiveService], exports: [ArchiveService] })
export class ArchiveModule {}
