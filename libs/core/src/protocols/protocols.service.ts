import { Injectable } from '@nestjs/common';
import { DEFAULT_DEBATE_PROTOCOL, NotFound, type ProtocolSpec } from '#tribunal/contracts';
import { PRESETS, validateProtocolSpec } from '#tribunal/debate';
import { type ProtocolEntity, ProtocolRepository } from '#tribunal/persistence';
import { LlmEndpoints } from '../llm-endpoints/llm-endpoints.js';

@Injectable()
export class ProtocolsService {
  constructor(
    private readonly protocolRepository: ProtocolRepository,
    private readonly llmEndpoints: LlmEndpoints,
  ) {}

  /** Adds a protocol, or the next version of one; versions never change once stored. */
  async create(name: string, spec: unknown, createdBy: string | null): Promise<ProtocolEntity> {
    // A bad spec is refused with every offending field named (a `ContractViolation`, which is `Invalid`).
    const parsed = validateProtocolSpec(spec);
    this.llmEndpoints.check(parsed);
    return this.protocolRepository.addVersion({
      name,
      kind: parsed.kind,
      spec: JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>,
      createdBy,
    });
  }

  presets(): Record<string, ProtocolSpec> {
    return PRESETS;
  }

  /** The latest version of the default debate protocol, created on first use. */
  async defaultProtocol(): Promise<ProtocolEntity> {
    return (await this.protocolRepository.latest('default-debate')) ?? this.create('default-debate', DEFAULT_DEBATE_PROTOCOL, null);
  }

  async get(id: string): Promise<ProtocolEntity> {
    const protocol = await this.protocolRepository.byId(id);
    if (!protocol) throw new NotFound(`protocol ${id} does not exist`);
    return protocol;
  }

  list(): Promise<ProtocolEntity[]> {
    return this.protocolRepository.list();
  }
}
