/**
 * What verification reads of an evidence unit (an `EvidenceUnit` is one). Declared here, with no
 * import, so that the web app checks a speech being written by these very rules.
 */
export interface CitableUnit {
  id: string;
  text: string;
}

/** An evidence id cited as `[[id]]` in a speech. */
const EVIDENCE_ID = /\[\[([A-Za-z0-9_.:-]{1,80})\]\]/g;
/** A quotation of the item's text, as `<quote>…</quote>`. */
const QUOTE = /<quote>([\s\S]*?)<\/quote>/g;

export interface CitationMark {
  kind: 'evidence' | 'quote';
  /** For `evidence`, the cited id; for `quote`, the quoted text. */
  target: string;
  /** Where the citation stands in the speech: [start, end) in characters. */
  at: [number, number];
}

/** Every citation in a speech, in order: evidence ids (each once) and quotations. */
export function parseCitations(text: string): CitationMark[] {
  const marks: CitationMark[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(EVIDENCE_ID)) {
    if (seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    marks.push({ kind: 'evidence', target: m[1]!, at: [m.index, m.index + m[0].length] });
  }
  for (const m of text.matchAll(QUOTE)) {
    if (m[1]!.trim()) marks.push({ kind: 'quote', target: m[1]!, at: [m.index, m.index + m[0].length] });
  }
  return marks.sort((a, b) => a.at[0] - b.at[0]);
}

export interface VerifiedCitation {
  kind: 'evidence' | 'quote';
  /** The evidence unit the citation was found in, or null. */
  evidenceId: string | null;
  /** The quoted text, for quotations. */
  quote: string | null;
  verified: boolean;
  /** For quotations: how close the best match in the evidence is, from 0 to 1 (1 when verified). */
  score: number | null;
  /** The evidence as shown to a judge when verified: the unit's text, or the quotation. */
  excerpt: string | null;
  /** For verified quotations: where they stand in the unit's text, [start, end). */
  span: [number, number] | null;
  at: [number, number];
}

/** Lower case, one kind of quote mark and dash, single spaces: what "exact" means for a quotation. */
export function normalise(text: string): { text: string; offsets: number[] } {
  let out = '';
  const offsets: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    let c = text[i]!.toLowerCase();
    if (/[\u2018\u2019\u201b`´]/.test(c)) c = "'";
    else if (/[\u201c\u201d\u201e«»]/.test(c)) c = '"';
    else if (/[\u2010-\u2015]/.test(c)) c = '-';
    if (/\s/.test(c)) {
      if (space || out.length === 0) continue;
      space = true;
      c = ' ';
    } else space = false;
    // Some characters lower-case to two (İ → i̇): each keeps its source position.
    for (const part of c) {
      out += part;
      offsets.push(i);
    }
  }
  if (out.endsWith(' ')) {
    out = out.slice(0, -1);
    offsets.pop();
  }
  return { text: out, offsets };
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
}

/** The best fraction of the quotation's words found in a window of the same length in the text. */
export function fuzzyScore(quote: string, text: string): number {
  const q = words(normalise(quote).text);
  const t = words(normalise(text).text);
  if (q.length === 0) return 0;
  const need = new Map<string, number>();
  for (const w of q) need.set(w, (need.get(w) ?? 0) + 1);
  const window = new Map<string, number>();
  let matched = 0;
  let best = 0;
  for (let i = 0; i < t.length; i++) {
    const add = t[i]!;
    window.set(add, (window.get(add) ?? 0) + 1);
    if ((window.get(add) ?? 0) <= (need.get(add) ?? 0)) matched++;
    if (i >= q.length) {
      const drop = t[i - q.length]!;
      if ((window.get(drop) ?? 0) <= (need.get(drop) ?? 0)) matched--;
      window.set(drop, window.get(drop)! - 1);
    }
    best = Math.max(best, matched);
  }
  return best / q.length;
}

function verifyQuote(mark: CitationMark, evidence: readonly CitableUnit[]): VerifiedCitation {
  const quote = normalise(mark.target);
  let score = 0;
  let bestUnit: string | null = null;
  for (const unit of evidence) {
    const text = normalise(unit.text);
    const found = quote.text ? text.text.indexOf(quote.text) : -1;
    if (found >= 0) {
      const start = text.offsets[found]!;
      const end = text.offsets[found + quote.text.length - 1]! + 1;
      return {
        kind: 'quote',
        evidenceId: unit.id,
        quote: mark.target,
        verified: true,
        score: 1,
        excerpt: mark.target,
        span: [start, end],
        at: mark.at,
      };
    }
    const s = fuzzyScore(mark.target, unit.text);
    if (s > score) [score, bestUnit] = [s, unit.id];
  }
  return { kind: 'quote', evidenceId: bestUnit, quote: mark.target, verified: false, score, excerpt: null, span: null, at: mark.at };
}

/**
 * Checks every citation against the item's own evidence: an evidence id must exist; a quotation must
 * appear in the evidence exactly, after normalisation (a near miss is reported with its score, but
 * unverified). A judge never sees an unverified citation as verified.
 */
export function verifyCitations(marks: readonly CitationMark[], evidence: readonly CitableUnit[]): VerifiedCitation[] {
  const byId = new Map(evidence.map((unit) => [unit.id, unit]));
  return marks.map((mark) => {
    if (mark.kind === 'quote') return verifyQuote(mark, evidence);
    const unit = byId.get(mark.target);
    return {
      kind: 'evidence',
      evidenceId: mark.target,
      quote: null,
      verified: unit !== undefined,
      score: null,
      excerpt: unit?.text ?? null,
      span: null,
      at: mark.at,
    };
  });
}
