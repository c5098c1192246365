/**
 * The client's record of acknowledged annotation writes. A write is acknowledged when
 * `annotations.*` answered ok; its answer carries the document's whole state afterwards, which
 * becomes what the store must hold from then on. The one write in flight when the process dies may
 * or may not have committed: its document is "uncertain" and may hold either state.
 */
import type { AnnotationResult, DocumentDetail, HistoryState } from '../../../shared/contract';
import type { ServiceProcess } from './service-process';

export interface DocState {
  status: string;
  /** `labelId:present:source`, sorted. */
  labels: string[];
}

type Action = 'accept' | 'add' | 'reject' | 'remove';
type Inflight =
  | { kind: 'apply'; docId: number; labelId: number; action: Action }
  | { kind: 'status'; docId: number; status: string }
  | { kind: 'undo' | 'redo'; docId: number | null };

export function stateOf(doc: { status: string; labels: readonly { labelId: number; present: boolean; source: string }[] }): DocState {
  return { status: doc.status, labels: doc.labels.map((l) => `${l.labelId}:${l.present ? 1 : 0}:${l.source}`).sort() };
}

const key = (s: DocState): string => `${s.status}|${s.labels.join(',')}`;

/** What `annotations.apply` leaves (the repo's `target`), computed independently. */
export function applyTarget(old: DocState, labelId: number, action: Action): DocState {
  const labels = old.labels.filter((l) => !l.startsWith(`${labelId}:`));
  if (action === 'accept') labels.push(`${labelId}:1:suggestion`);
  if (action === 'add') labels.push(`${labelId}:1:annotator`);
  if (action === 'reject') labels.push(`${labelId}:0:annotator`);
  return { status: old.status, labels: labels.sort() };
}

const STATUSES = ['pending', 'done', 'skipped', 'review'] as const;

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

export class AnnotationLedger {
  readonly expected = new Map<number, DocState>();
  inflight: Inflight | null = null;
  history: HistoryState | null = null;
  acknowledged = 0;

  constructor(
    readonly projectId: string,
    readonly docIds: readonly number[],
    readonly labelIds: readonly number[],
  ) {}

  /** Reads the starting state of every tracked document. */
  async snapshot(proc: ServiceProcess): Promise<void> {
    for (const docId of this.docIds) this.expected.set(docId, stateOf(await proc.ok<DocumentDetail>('documents.get', { projectId: this.projectId, docId })));
    this.history = (await proc.ok<{ history: HistoryState }>('annotations.history', { projectId: this.projectId, limit: 1 })).history;
  }

  /**
   * Sequential annotation writes (apply, status, undo, redo) until `stop()` says so or the
   * connection dies. Returns the error replies: any is a failure (e.g. a busy database surfacing).
   */
  async burst(proc: ServiceProcess, rng: Rng, stop: () => boolean, pauseMs = 0): Promise<string[]> {
    const errors: string[] = [];
    while (!stop()) {
      const r = rng.next();
      const docId = rng.pick(this.docIds);
      let method: string;
      let input: Record<string, unknown>;
      if (r < 0.72) {
        const labelId = rng.pick(this.labelIds);
        const action = rng.pick(['accept', 'add', 'reject', 'remove'] as const);
        this.inflight = { kind: 'apply', docId, labelId, action };
        method = 'annotations.apply';
        input = { projectId: this.projectId, docId, labelId, action };
      } else if (r < 0.84) {
        const status = rng.pick(STATUSES);
        this.inflight = { kind: 'status', docId, status };
        method = 'annotations.setStatus';
        input = { projectId: this.projectId, docId, status };
      } else if (r < 0.94) {
        this.inflight = { kind: 'undo', docId: this.history?.undo?.docId ?? null };
        method = 'annotations.undo';
        input = { projectId: this.projectId };
      } else {
        this.inflight = { kind: 'redo', docId: this.history?.redo?.docId ?? null };
        method = 'annotations.redo';
        input = { projectId: this.projectId };
      }
      let reply;
      try {
        reply = await proc.call<AnnotationResult>(method, input, 30_000);
      } catch {
        return errors; // no reply: the process is gone, the write stays uncertain
      }
      if (!reply.ok) {
        this.inflight = null;
        errors.push(`${method} ${JSON.stringify(input)}: ${reply.error.code}: ${reply.error.message}`);
        continue;
      }
      const result = reply.value;
      if (result.document) this.expected.set(result.document.docId, stateOf(result.document));
      this.history = result.history;
      this.inflight = null;
      this.acknowledged++;
      if (pauseMs) await new Promise((res) => setTimeout(res, pauseMs));
    }
    return errors;
  }

  /**
   * After a restart: every acknowledged state must be there. The document of the write in flight
   * may hold its old or its new state; whichever it holds becomes the expectation.
   */
  async verify(proc: ServiceProcess): Promise<{ lost: number; problems: string[] }> {
    const problems: string[] = [];
    let lost = 0;
    const uncertain = this.inflight;
    for (const docId of this.docIds) {
      const actual = stateOf(await proc.ok<DocumentDetail>('documents.get', { projectId: this.projectId, docId }));
      const expected = this.expected.get(docId)!;
      if (key(actual) === key(expected)) continue;
      if (uncertain && uncertain.docId === docId) {
        let allowed: DocState | null = null;
        if (uncertain.kind === 'apply') allowed = applyTarget(expected, uncertain.labelId, uncertain.action);
        else if (uncertain.kind === 'status') allowed = { status: uncertain.status, labels: expected.labels };
        // undo/redo: the in-flight event's exact effect is not known here; either outcome is allowed.
        if (allowed === null || key(actual) === key(allowed)) {
          this.expected.set(docId, actual);
          continue;
        }
      }
      lost++;
      problems.push(`document ${docId}: acknowledged ${key(expected)}, found ${key(actual)}${uncertain ? ` (in flight: ${JSON.stringify(uncertain)})` : ''}`);
      this.expected.set(docId, actual); // count each loss once
    }
    this.inflight = null;
    this.history = (await proc.ok<{ history: HistoryState }>('annotations.history', { projectId: this.projectId, limit: 1 })).history;
    return { lost, problems };
  }
}
