/**
 * The words coders actually used, per label: for each label assigned in the project, the most
 * distinctive words and two-word phrases of the documents it is assigned to. The label picker
 * searches them beside titles and synonyms, so "heart attack" finds I21.9 in a project where
 * coders gave I21.9 to texts saying "heart attack" (issue #14).
 *
 * Weighting (TF-IDF over documents, with a label's documents as its "text"): a term t of label l
 * scores `(n_l(t) / n_l) × ln(N / df(t))`, where n_l is the number of l's documents, n_l(t) how
 * many of them contain t, N the number of documents read (the labelled ones and a sample of the
 * others, so a term every labelled document shares still stands out against the rest of the
 * corpus) and df(t) how many of them contain t. The
 * first factor asks that the label's documents share the term, the second that the term be rare
 * elsewhere. A label with two or more documents keeps only terms at least two of them share
 * (one case history's place names say nothing about its label); a label with one document keeps
 * that document's rarest words. Terms are words of 3+ letters without digits that are not
 * stop-words, and phrases of two such words next to each other.
 */
import { tokenizeWithOffsets } from '../plant/text/tokenizer';
import { isStopWord } from '../../shared/text/stop-words';

export interface LabelTerms {
  labelId: number;
  /** Most distinctive first. */
  terms: string[];
}

export interface TermOptions {
  /** Terms per label. */
  perLabel: number;
  /** Characters of each document read (a case history's start says what it is about). */
  maxChars: number;
}

export const DEFAULT_TERM_OPTIONS: TermOptions = { perLabel: 12, maxChars: 6_000 };

/**
 * The documents read for each label: its most recently assigned ones, `perLabel` of them, fewer
 * (halving) until all labels together need at most `maxDocuments`. Keeps memory and time bounded
 * on a large corpus (EURLEX57K: 45,000 documents with 4,000 labels) while a coder's newest
 * assignments always count. `assigned` lists each label's documents newest first.
 */
export function documentsToRead(assigned: ReadonlyMap<number, readonly number[]>, perLabel = 20, maxDocuments = 6_000): Map<number, number[]> {
  for (let cap = perLabel; ; cap = Math.max(1, Math.floor(cap / 2))) {
    const chosen = new Map([...assigned].map(([l, docs]) => [l, docs.slice(0, cap)]));
    const union = new Set<number>();
    for (const docs of chosen.values()) for (const d of docs) union.add(d);
    if (union.size <= maxDocuments || cap === 1) return chosen;
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const isTermWord = (token: string): boolean => token.length >= 3 && !/\d/.test(token) && !isStopWord(token);

/**
 * Remembers each document's distinct term ids (documents do not change once imported), so a
 * refresh after annotations only re-counts; it yields to the event loop every 200 documents.
 */
export class DocumentTerms {
  readonly #ids = new Map<string, number>();
  readonly #terms: string[] = [];
  readonly #byDoc = new Map<number, Int32Array>();
  readonly #options: TermOptions;

  constructor(options: TermOptions = DEFAULT_TERM_OPTIONS) {
    this.#options = options;
  }

  get options(): TermOptions {
    return this.#options;
  }

  term(id: number): string {
    return this.#terms[id]!;
  }

  get vocabularySize(): number {
    return this.#terms.length;
  }

  has(docId: number): boolean {
    return this.#byDoc.has(docId);
  }

  /** The document's distinct term ids, ascending. */
  of(docId: number): Int32Array {
    return this.#byDoc.get(docId) ?? new Int32Array(0);
  }

  add(docId: number, text: string): void {
    const read = text.length > this.#options.maxChars ? text.slice(0, this.#options.maxChars) : text;
    const { tokens, startsUtf16, endsUtf16 } = tokenizeWithOffsets(read);
    const ids = new Set<number>();
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (!isTermWord(t)) continue;
      ids.add(this.#id(t));
      // A phrase is two words with only spaces between them ("heart attack", not "heart. Attack").
      const next = tokens[k + 1];
      if (next !== undefined && isTermWord(next) && /^\s+$/.test(read.slice(endsUtf16[k]!, startsUtf16[k + 1]!))) ids.add(this.#id(`${t} ${next}`));
    }
    this.#byDoc.set(docId, Int32Array.from(ids).sort());
  }

  async addAll(docs: Iterable<{ id: number; text: string }>): Promise<void> {
    let k = 0;
    for (const d of docs) {
      if (!this.#byDoc.has(d.id)) this.add(d.id, d.text);
      if (++k % 200 === 0) await yieldToEventLoop();
    }
  }

  #id(term: string): number {
    let id = this.#ids.get(term);
    if (id === undefined) {
      id = this.#terms.length;
      this.#ids.set(term, id);
      this.#terms.push(term);
    }
    return id;
  }
}

/**
 * Each label's distinctive terms (see the module comment) from `assigned`: label id → the ids of
 * its documents, and `background`: ids of documents without labels that count in the document
 * frequencies; all of them already in `docs`. Yields every 100 labels.
 */
export async function distinctiveTerms(docs: DocumentTerms, assigned: ReadonlyMap<number, readonly number[]>, background: readonly number[] = []): Promise<LabelTerms[]> {
  const counted = new Set<number>(background);
  for (const list of assigned.values()) for (const d of list) counted.add(d);
  const df = new Int32Array(docs.vocabularySize);
  for (const d of counted) for (const t of docs.of(d)) df[t]!++;
  const total = counted.size;
  const inLabel = new Int32Array(docs.vocabularySize);
  const out: LabelTerms[] = [];
  let k = 0;
  for (const [labelId, list] of assigned) {
    const touched: number[] = [];
    for (const d of list) {
      for (const t of docs.of(d)) {
        if (inLabel[t] === 0) touched.push(t);
        inLabel[t]!++;
      }
    }
    const n = list.length;
    const minShared = n >= 2 ? 2 : 1;
    const scored: { t: number; s: number }[] = [];
    for (const t of touched) {
      const c = inLabel[t]!;
      inLabel[t] = 0;
      if (c < minShared || df[t] === total) continue;
      scored.push({ t, s: (c / n) * Math.log(total / df[t]!) });
    }
    // Ties: the phrase before its words, then alphabetical, so the order is the same every time.
    scored.sort((a, b) => b.s - a.s || docs.term(b.t).length - docs.term(a.t).length || (docs.term(a.t) < docs.term(b.t) ? -1 : 1));
    const terms = scored.slice(0, docs.options.perLabel).map((x) => docs.term(x.t));
    if (terms.length) out.push({ labelId, terms });
    if (++k % 100 === 0) await yieldToEventLoop();
  }
  return out;
}
