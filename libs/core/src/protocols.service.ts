import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { ContractViolation, DEFAULT_DEBATE_PROTOCOL, ProtocolSpec, parseContract } from '../../contracts/src/index.js';
import { DebateRepository, type ProtocolEntity } from '../../persistence/src/index.js';

/** Validates a protocol's JSON; the error names every offending field. */
export function parseProtocolSpec(spec: unknown): ProtocolSpec {
  try {
    const parsed = parseContract(ProtocolSpec, spec, 'spec');
    if (parsed.kind === 'direct' && parsed.debaters.length > 0)
      throw new ContractViolation(['spec.debaters must be empty for a direct protocol']);
    if (parsed.kind === 'consultancy' && parsed.debaters.length !== 1)
      throw new ContractViolation(['spec.debaters must hold exactly one debater for consultancy']);
    if ((parsed.kind === 'debate' || parsed.kind === 'interactive') && parsed.debaters.length < 2) {
      throw new ContractViolation([`spec.debaters must hold at least two debaters for ${parsed.kind}`]);
    }
    return parsed;
  } catch (error) {
    if (error instanceof ContractViolation) throw new UnprocessableEntityException(error.problems);
    throw error;
  }
}

@Injectable()
export class ProtocolsService {
  constructor(private readonly debates: DebateRepository) {}

  async create(name: string, spec: unknown, createdBy: string | null): Promise<ProtocolEntity> {
    const parsed = parseProtocolSpec(spec);
    return this.debates.addProtocolVersion({ name, kind: parsed.kind, spec: { ...parsed }, createdBy });
  }

  /** The latest version of the default debate protocol, created on first use. */
  async defaultProtocol(): Promise<ProtocolEntity> {
    return (await this.debates.latestProtocol('default-debate')) ?? this.create('default-debate', DEFAULT_DEBATE_PROTOCOL, null);
  }

  async get(id: string): Promise<ProtocolEntity> {
    const protocol = await this.debates.protocol(id);
    if (!protocol) throw new NotFoundException(`protocol ${id} does not exist`);
    return protocol;
  }

  list(): Promise<ProtocolEntity[]> {
    return this.debates.listProtocols();
  }
}
