import { Injectable, Logger } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { AuthService } from '../identity/auth.service.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DebatesService } from '../debates/debates.service.js';
import { DisputesService } from '../datasets/disputes.service.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';

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
    private readonly auth: AuthService,
  ) {}

  /**
   * Loads the demo world, starts debates judged by the built-in judge, and one judged by a demo judge
   * user, whose key it returns so that a newcomer can judge a live debate in the web app.
   */
  async seed(): Promise<{ judgeKey: string }> {
    const { demoSeed: seed, demoSize: size, demoDebates } = this.config;
    const dataset = await this.datasets.loadWorld({ name: 'demo-world', seed, size });
    const disputes = await this.disputes.select(dataset.id, { auditFraction: 0.05, minBlindCells: 4, seed });
    const simulated = await this.protocols.defaultProtocol();
    const started = disputes.slice(0, demoDebates);
    for (const dispute of started) await this.debates.start({ disputeId: dispute.id, protocolId: simulated.id });
    const judge = await this.auth.createUser('demo-judge', 'judge');
    const live = await this.protocols.create('demo-live', { ...DEFAULT_DEBATE_PROTOCOL, judges: { count: 1, kind: 'human' } }, null);
    const forJudge = disputes[started.length];
    if (forJudge) await this.debates.start({ disputeId: forJudge.id, protocolId: live.id, judgeIds: [judge.user.id] });
    this.logger.log(
      `loaded "${dataset.name}" (${dataset.items} rooms), selected ${disputes.length} disputes, started ${started.length} debates under "${simulated.name}" and one for demo-judge under "${live.name}"`,
    );
    return { judgeKey: judge.key };
  }
}
