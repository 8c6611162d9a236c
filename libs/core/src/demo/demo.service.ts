import { Injectable, Logger } from '@nestjs/common';
import type { TribunalConfig } from '#tribunal/config';
import { DEFAULT_DEBATE_PROTOCOL } from '#tribunal/contracts';
import { AuthService } from '../identity/auth.service.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DebatesService } from '../debates/debates.service.js';
import { DisputesService } from '../datasets/disputes.service.js';
import { ModelsService } from '../models/models.service.js';
import { ProtocolsService } from '../protocols/protocols.service.js';
import { InjectConfig } from '../infrastructure/infrastructure.module.js';
import { DEMO_AUDIT, DemoLoop } from './demo-loop.js';

/** What the demo trains: a small model, quick on a CPU, so that the first start stays responsive. */
const DEMO_TRAINING = { architecture: { hidden: [32] }, settings: { steps: 300, evalEvery: 25, checkpointEvery: 100 } };

/** Debates of a demo round run at once. */
const DEMO_CONCURRENCY = 4;

/** On a fresh installation, loads a built-in world and starts debates, so a newcomer sees the loop run. */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectConfig() private readonly config: TribunalConfig,
    private readonly datasets: DatasetsService,
    private readonly disputes: DisputesService,
    private readonly protocols: ProtocolsService,
    private readonly debates: DebatesService,
    private readonly campaigns: CampaignsService,
    private readonly models: ModelsService,
    private readonly auth: AuthService,
    private readonly loop: DemoLoop,
  ) {}

  /**
   * Loads the demo world and draws an audit sample of its training split: one dispute debated under a
   * protocol judged by a demo judge user, whose key it returns so that a newcomer can judge a live
   * debate in the web app, and the rest in the audit round, a campaign judged by simulated judges.
   * With the demo loop on, the loop (DemoLoop) carries on from the audit round in the background.
   */
  async seed(): Promise<{ judgeKey: string; auditDebates: number; loop: boolean }> {
    const { demoSeed: seed, demoSize: size, demoDebates } = this.config;
    const dataset = await this.datasets.loadWorld({ name: 'demo-world', seed, size });
    await this.models.setPolicy(dataset.id, { training: DEMO_TRAINING });
    const { open } = await this.disputes.room(dataset.id);
    const wanted = Math.min(open.size, demoDebates + 1);
    // An audit sample only (no rule flags rooms), of exactly the debates the demo starts: an undebated
    // dispute would hold back an item the model could have chosen.
    const disputes = await this.disputes.select(dataset.id, {
      auditFraction: open.size ? wanted / open.size : 0,
      minBlindCells: Number.POSITIVE_INFINITY,
      seed,
    });
    const judge = await this.auth.createUser('demo-judge', 'judge');
    const live = await this.protocols.create('demo-live', { ...DEFAULT_DEBATE_PROTOCOL, judges: { count: 1, kind: 'human' } }, null);
    const [forJudge, ...audit] = disputes;
    if (forJudge) await this.debates.start({ disputeId: forJudge.id, protocolId: live.id, judgeIds: [judge.user.id] });
    const simulated = await this.protocols.defaultProtocol();
    if (audit.length > 0) {
      await this.campaigns.launch({
        name: DEMO_AUDIT,
        protocolId: simulated.id,
        disputeIds: audit.map((d) => d.id),
        concurrency: DEMO_CONCURRENCY,
        createdBy: null,
      });
    }
    const loop = this.config.demoLoop && audit.length > 0;
    if (loop) await this.loop.begin(dataset.id);
    this.logger.log(
      `loaded "${dataset.name}" (${dataset.items} rooms); started a debate for demo-judge under "${live.name}" and ` +
        `${audit.length} audit debates under "${simulated.name}"${loop ? ', the first round of the demo loop' : ''}`,
    );
    return { judgeKey: judge.key, auditDebates: audit.length, loop };
  }
}
