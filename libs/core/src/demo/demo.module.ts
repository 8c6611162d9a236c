import { Module } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { ProtocolsModule } from '../protocols/protocols.module.js';
import { DebatesModule } from '../debates/debates.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { DemoService } from './demo.service.js';

/** Seeds the demo on a first start: a world dataset, its disputes, debates and a demo judge. */
@Module({ imports: [DatasetsModule, ProtocolsModule, DebatesModule, IdentityModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
