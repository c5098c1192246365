import type { LabelProvenance } from '../../../shared/contract';
import { probability } from './format';

/** A label's provenance as the Annotate panel says it (issue #17). */
export interface ProvenanceView {
  /** How and by whom: "accepted suggestion (score 87 %) by Ana", "imported (annotator not recorded)". */
  what: string;
  /** When, relative to now ("3 min ago"); empty when the stored time does not parse. */
  when: string;
  /** The exact time (for the hover title and screen readers), or the stored text when it does not parse. */
  exact: string;
}

const HOW: Record<LabelProvenance['how'], string> = { imported: 'imported', added: 'added by hand', accepted: 'accepted suggestion', rejected: 'rejected' };

/** How and by whom; a row nobody recorded a name for (imports before issue #17, rows before migration 0006) says so. */
export function provenanceWhat(p: LabelProvenance): string {
  const how = p.score === null ? HOW[p.how] : p.how === 'accepted' ? `${HOW.accepted} (score ${probability(p.score)})` : p.how === 'rejected' ? `rejected suggestion (score ${probability(p.score)})` : HOW[p.how];
  return p.who === null ? `${how} (annotator not recorded)` : `${how} by ${p.who}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. A time ahead of
 * `now` (another machine's clock) reads as "just now" rather than "in 2 min".
 */
export function relativeTime(atMs: number, nowMs: number, timeZone?: string): string {
  const ago = Math.max(0, nowMs - atMs);
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  const days = Math.floor(ago / DAY);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return `on ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(atMs)}`;
}

/** "1 Mar 2026, 10:15:00 UTC" in the given time zone (the computer's own by default). */
export function exactTime(atMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(atMs);
}

export function provenanceView(p: LabelProvenance, nowMs: number, timeZone?: string): ProvenanceView {
  const at = Date.parse(p.at);
  if (Number.isNaN(at)) return { what: provenanceWhat(p), when: '', exact: p.at };
  return { what: provenanceWhat(p), when: relativeTime(at, nowMs, timeZone), exact: exactTime(at, timeZone) };
}
