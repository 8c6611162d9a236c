import { ContractViolation, parseContract, ProtocolSpec } from '#tribunal/contracts';

/** The rules a spec must follow beyond its fields' own: what each kind of protocol needs. */
export function kindProblems(spec: ProtocolSpec): string[] {
  const problems: string[] = [];
  const rounds = [...spec.structure.opening, ...spec.structure.repeating, ...spec.structure.closing];
  const speeches = rounds.filter((r) => r.type !== 'judge');
  if (spec.kind === 'direct' && spec.debaters.length > 0) problems.push('spec.debaters must be empty for a direct protocol');
  if (spec.kind === 'direct' && speeches.length > 0) problems.push('spec.structure must hold only judge rounds for a direct protocol');
  if (spec.kind === 'consultancy' && spec.debaters.length !== 1)
    problems.push('spec.debaters must hold exactly one debater for consultancy');
  if ((spec.kind === 'debate' || spec.kind === 'interactive') && spec.debaters.length < 2) {
    problems.push(`spec.debaters must hold at least two debaters for ${spec.kind}`);
  }
  if (spec.kind !== 'direct' && speeches.length === 0)
    problems.push(`spec.structure must hold at least one round of speeches for ${spec.kind}`);
  if (spec.kind === 'interactive' && !rounds.some((r) => r.type === 'judge' && r.visibleToDebaters)) {
    problems.push('spec.structure of an interactive protocol needs a judge round with visibleToDebaters, where the judge asks questions');
  }
  if (spec.assignment === 'random' && spec.debaters.length > 1) problems.push('spec.assignment "random" is for a single consultant');
  for (const [segment, list] of Object.entries(spec.structure)) {
    (list as ProtocolSpec['structure']['opening']).forEach((round, i) => {
      const at = `spec.structure.${segment}.${i}`;
      if (round.type === 'judge' && (round.charLimit !== undefined || round.quoteLimit !== undefined))
        problems.push(`${at}: charLimit and quoteLimit apply to speech rounds`);
      if (round.type !== 'judge' && (round.visibleToDebaters !== undefined || round.noteLimit !== undefined))
        problems.push(`${at}: visibleToDebaters and noteLimit apply to judge rounds`);
    });
  }
  if (spec.structure.repeating.length === 0 && spec.end.maxRepeats > 0)
    problems.push('spec.end.maxRepeats must be 0 when spec.structure.repeating is empty');
  spec.debaters.forEach((d, i) => {
    if (d.backend !== 'openai' && (d.endpoint || d.model || d.bestOf))
      problems.push(`spec.debaters.${i}: endpoint, model and bestOf apply to openai debaters`);
    if (d.backend !== 'manual' && d.deadlineSeconds !== undefined)
      problems.push(`spec.debaters.${i}: deadlineSeconds applies to manual debaters (people)`);
  });
  if (spec.judges.kind !== 'llm' && (spec.judges.endpoint || spec.judges.model))
    problems.push('spec.judges: endpoint and model apply to llm judges');
  if (spec.judges.deadlineSeconds !== undefined && spec.judges.kind !== 'human')
    problems.push('spec.judges.deadlineSeconds applies to human judges');
  return problems;
}

/** A protocol's JSON as a spec: its fields and its kind's rules; a `ContractViolation` names every offending field. */
export function validateProtocolSpec(spec: unknown): ProtocolSpec {
  const parsed = parseContract(ProtocolSpec, spec, 'spec');
  const problems = kindProblems(parsed);
  if (problems.length > 0) throw new ContractViolation(problems);
  return parsed;
}
