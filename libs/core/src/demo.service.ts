import { Injectable, Logger } from '@nestjs/common';
import type { TribunalConfig } from '../../config/src/index.js';
import { DatasetsService } from './datasets.service.js';
import { DebatesService } from './debates.service.js';
import { DisputesService } from './disputes.service.js';
import { ProtocolsService } from './protocols.service.js';
import { InjectConfig } from './runtime.js';

/** On a fresh installation, loads a built-in world and starts a few debates, so a newcomer sees the loop run. */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly datasets: DatasetsService,
    private readonly disputes: DisputesService,
    private readonly protocols: ProtocolsService,
    private readonly debates: DebatesService,
  ) {}

  async seed(): Promise<void> {
    const { demoSeed: seed, demoSize: size, demoDebates } = this.config;
    const dataset = await this.datasets.loadWorld({ name: 'demo-world', seed, size });
    const disputes = await this.disputes.select(dataset.id, { auditFraction: 0.05, minBlindCells: 4, seed });
    const protocol = await this.protocols.defaultProtocol();
    const started = disputes.slice(0, demoDebates);
    for (const dispute of started) await this.debates.start({ disputeId: dispute.id, protocolId: protocol.id });
    this.logger.log(
      `loaded "${dataset.name}" (${dataset.items} rooms), selected ${disputes.length} disputes, started ${started.length} debates under "${protocol.name}"`,
    );
  }
}
