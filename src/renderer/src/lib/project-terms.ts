import { words } from './label-index-data';

/**
 * The words coders' documents used, per label (`labels.terms`: each used label's most distinctive
 * words and two-word phrases in the project's documents assigned to it), indexed for the picker:
 * "heart attack" finds I21.9 in a project where coders gave I21.9 to texts that say "heart attack".
 * Small next to the catalogue (a few thousand labels × a dozen terms), so it is built on the UI
 * thread whenever the terms are refreshed.
 */
export class ProjectTerms {
  /** Distinct words of all terms, sorted (a prefix is a range). */
  readonly words: string[];
  /** CSR over `words`: label indices (into the catalogue index) whose terms hold the word. */
  readonly postStart: Int32Array;
  readonly postings: Int32Array;
  readonly #terms = new Map<number, string[]>();

  /** `entries`: catalogue index of the label and its terms, most distinctive first. */
  constructor(entries: readonly { label: number; terms: readonly string[] }[]) {
    const byWord = new Map<string, Set<number>>();
    for (const { label, terms } of entries) {
      this.#terms.set(label, [...terms]);
      for (const t of terms) {
        for (const w of words(t)) {
          let set = byWord.get(w);
          if (!set) byWord.set(w, (set = new Set()));
          set.add(label);
        }
      }
    }
    this.words = [...byWord.keys()].sort();
    this.postStart = new Int32Array(this.words.length + 1);
    this.words.forEach((w, k) => (this.postStart[k + 1] = this.postStart[k]! + byWord.get(w)!.size));
    this.postings = new Int32Array(this.postStart[this.words.length]!);
    this.words.forEach((w, k) => this.postings.set([...byWord.get(w)!], this.postStart[k]!));
  }

  get size(): number {
    return this.#terms.size;
  }

  /** Word ids with the prefix `p`: [lo, hi). */
  range(p: string): [number, number] {
    return [lowerBound(this.words, p), lowerBound(this.words, `${p}\uffff`)];
  }

  /** The label's first term that holds every query word (by prefix), for the picker to show. */
  termMatching(label: number, query: readonly string[]): string | null {
    for (const t of this.#terms.get(label) ?? []) {
      const ws = words(t);
      if (query.every((q) => ws.some((w) => w.startsWith(q)))) return t;
    }
    return null;
  }

  /** The terms of one label, most distinctive first. */
  termsOf(label: number): readonly string[] {
    return this.#terms.get(label) ?? [];
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
