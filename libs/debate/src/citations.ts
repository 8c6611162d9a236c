import type { EvidenceUnit } from '../../contracts/src/index.js';

/** An evidence id cited as `[[id]]` in a speech. */
const CITATION = /\[\[([A-Za-z0-9_.:-]{1,80})\]\]/g;

export function parseCitations(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]!))];
}

export interface VerifiedCitation {
  evidenceId: string;
  verified: boolean;
  /** The evidence unit's own text: what a judge is shown for a verified citation. */
  excerpt: string | null;
}

/** Checks every citation against the item's own evidence; a judge never sees an unverified one as verified. */
export function verifyCitations(ids: readonly string[], evidence: readonly EvidenceUnit[]): VerifiedCitation[] {
  const byId = new Map(evidence.map((unit) => [unit.id, unit]));
  return ids.map((evidenceId) => {
    const unit = byId.get(evidenceId);
    return { evidenceId, verified: unit !== undefined, excerpt: unit?.text ?? null };
  });
}
