/**
 * An in-memory type-ahead index over a whole label catalogue (ICD-10-CM: 94k codes), built from
 * `labels.catalogue` rows (label-index-data.ts, in a Web Worker). Pure TypeScript with no DOM.
 *
 * Why here and not in SQLite: a round trip plus an FTS5 query per keystroke measured p95 36 ms,
 * max 62 ms on the demo catalogue (short prefixes such as "d" match most of it); this index answers
 * in a millisecond or two (`npm run bench:ui`).
 *
 * A query finds labels the way coders write (issue #14, docs/picker.md):
 * - codes: "e119", "E11.9" and "E11 9" find E11.9; a prefix lists its codes in numeric order with
 *   the general (unspecified) code and initial encounters first ("E11": E11.9, E11.00, E11.01 …);
 * - words: every query word must prefix-match a word of the label (AND): its title, a synonym, or
 *   a distinctive term of the project's documents assigned to it ("heart attack" where coders
 *   gave I21.9 to texts saying so);
 * - typos: a word of 5+ letters that matches nothing is matched within one edit (5–7 letters) or
 *   two (8+), a swap of two letters counting as one ("diabetis", "diabtes");
 * - abbreviations and phrasings of the shipped list (clinical-terms.ts): "T2DM", "CHF", "heart
 *   attack" are also read as the catalogue's words.
 * Ranking: exact code, code prefix, then text matches scored by field (title over synonym over
 * project term), whole words over prefixes over typo matches, the size of the label's family among
 * the matches (the common concept: "diabetes" means diabetes mellitus before diabetes insipidus),
 * labels already used in training, a title that starts with the first word, shorter titles, the
 * general code and initial encounters before subsequent encounters and sequelae.
 */
import { rewrites, rewriteTable, type TermRewrite } from './clinical-terms';
import { boundedDistances, typoBudget } from './fuzzy';
import { buildIndexData, codeKey, prefixRange, words, type LabelIndexData } from './label-index-data';
import { ProjectTerms } from './project-terms';

export { buildIndexData, codeKey, fold, transferables, type LabelIndexData } from './label-index-data';

export interface LabelHit {
  id: number;
  code: string;
  /** The code as shown: a chapter's code range ("E00–E89") instead of its internal "CH04". */
  displayCode: string;
  title: string;
  kind: 'code' | 'category';
  /** No children: assignable in a leaf-only catalogue (ICD-10-CM's billable codes). */
  leaf: boolean;
  flagged: boolean;
  trainCount: number;
  childCount: number;
  /** Ancestors, root first (chapter › block › category); `display` is a chapter's name, else the code. */
  path: { code: string; title: string; display: string }[];
  /** The synonym that matched, when the title did not. */
  matchedSynonym: string | null;
  /** How the label matched when it was not by its own words: a typo, an abbreviation, the project's documents. */
  matchedBy: { kind: 'spelling' | 'abbreviation' | 'project'; text: string } | null;
}

export interface SearchResult {
  items: LabelHit[];
  /** How many labels match in all (the list holds the best `limit`). */
  total: number;
}

/**
 * A run of postings and what a hit in it is worth. Catalogue postings are `label × 2 + inTitle`
 * (`shift` 1), project-term postings plain label indices (`shift` 0).
 */
interface Segment {
  postings: Int32Array;
  from: number;
  to: number;
  shift: 0 | 1;
  /** Score of a hit in a title (or any hit when `shift` is 0), and in a synonym. */
  title: number;
  synonym: number;
}

/** What one query word matches: catalogue words by prefix, near words (typos), project-term words. */
interface TermPlan {
  term: string;
  segments: Segment[];
  /** Catalogue word ids matched within the typo budget (for the picker to name the correction). */
  near: number[];
  /** Postings to visit (the rarest terms go first, so the candidate set only shrinks). */
  size: number;
}

/** One reading of the query: as typed, or with an abbreviation replaced by catalogue words. */
interface Reading {
  terms: string[];
  plans: TermPlan[];
  bonus: number;
  rewrite: TermRewrite | null;
}

const TITLE = 2;
const SYNONYM = 1;
const PROJECT_TERM = 1;
const WHOLE_WORD = 1.5;
/** A reading through the abbreviation list: the coder typed a known abbreviation on purpose. */
const REWRITE_BONUS = 1.5;
const MAX_NEAR_WORDS = 24;
const CHAPTER = /^CH\d+$/;

export class LabelIndex {
  readonly size: number;
  readonly version: string;
  readonly #d: LabelIndexData;
  #trainCounts: Int32Array;
  #projectTerms: ProjectTerms | null = null;
  readonly #rewrites = rewriteTable(words);
  readonly #byId = new Map<number, number>();
  readonly #displayCodes = new Map<number, string>();
  // Scratch for search: an epoch per label avoids clearing arrays between queries.
  readonly #epoch: Uint32Array;
  readonly #hits: Uint8Array;
  readonly #score: Float32Array;
  readonly #termBest: Float32Array;
  readonly #codeEpoch: Uint32Array;
  readonly #unionEpoch: Uint32Array;
  readonly #unionScore: Float32Array;
  readonly #unionReading: Uint8Array;
  readonly #familyEpoch: Uint32Array;
  readonly #familyCount: Int32Array;
  readonly #familyBonus: Float32Array;
  readonly #readingScore: Float32Array;
  readonly #survivors: Int32Array;
  readonly #union: Int32Array;
  /** 1 for a label without children that is not a category (assignable in a leaf-only catalogue). */
  readonly #leaf: Uint8Array;
  /** The query-independent part of each label's text score (title length, variant, use in training). */
  #prior: Float32Array;
  #currentEpoch = 0;

  constructor(data: LabelIndexData) {
    this.#d = data;
    this.size = data.size;
    this.version = data.version;
    const n = data.size;
    data.ids.forEach((id, i) => this.#byId.set(id, i));
    this.#trainCounts = new Int32Array(n);
    this.#epoch = new Uint32Array(n);
    this.#hits = new Uint8Array(n);
    this.#score = new Float32Array(n);
    this.#termBest = new Float32Array(n);
    this.#codeEpoch = new Uint32Array(n);
    this.#unionEpoch = new Uint32Array(n);
    this.#unionScore = new Float32Array(n);
    this.#unionReading = new Uint8Array(n);
    this.#familyEpoch = new Uint32Array(n);
    this.#familyCount = new Int32Array(n);
    this.#familyBonus = new Float32Array(n);
    this.#readingScore = new Float32Array(n);
    this.#survivors = new Int32Array(n);
    this.#union = new Int32Array(n);
    this.#leaf = Uint8Array.from({ length: n }, (_, i) => (data.childStart[i + 1] === data.childStart[i] && data.category[i] === 0 ? 1 : 0));
    this.#prior = this.#priors();
  }

  /**
   * Shorter, more general titles first; the general code and initial encounters before later
   * encounters; codes in use before unused ones among comparable matches (what a coder assigns
   * most: +1 for any training document, up to +2.5 at a hundred); chapters and blocks last.
   */
  #priors(): Float32Array {
    const { titleAt, variantBonus, category } = this.#d;
    const prior = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      let s = variantBonus[i]! - (titleAt[i + 1]! - titleAt[i]!) / 120;
      const n = this.#trainCounts[i]!;
      if (n > 0) s += 1 + Math.min(1.5, Math.log10(1 + n) / 1.35);
      if (category[i]) s -= 0.5;
      prior[i] = s;
    }
    return prior;
  }

  /** Parses and builds in one go (tests, and the UI-thread fallback). */
  static fromRows(rows: string, version = ''): LabelIndex {
    return new LabelIndex(buildIndexData(rows, version));
  }

  #code(i: number): string {
    return this.#d.text.slice(this.#d.codeAt[i]!, this.#d.codeAt[i + 1]!);
  }

  #title(i: number): string {
    return this.#d.text.slice(this.#d.titleAt[i]!, this.#d.titleAt[i + 1]!);
  }

  #synonyms(i: number): string[] {
    const out: string[] = [];
    for (let k = this.#d.synOf[i]!; k < this.#d.synOf[i + 1]!; k++) out.push(this.#d.text.slice(this.#d.synAt[k]!, this.#d.synAt[k + 1]!));
    return out;
  }

  #word(w: number): string {
    return this.#d.text.slice(this.#d.wordAt[w]!, this.#d.wordAt[w + 1]!);
  }

  #wordLength(w: number): number {
    return this.#d.wordAt[w + 1]! - this.#d.wordAt[w]!;
  }

  /** Replaces the training-document counts (`labels.counts`: [labelId, count, …]). */
  setTrainCounts(flat: readonly number[]): void {
    const counts = new Int32Array(this.size);
    for (let k = 0; k + 1 < flat.length; k += 2) {
      const i = this.#byId.get(flat[k]!);
      if (i !== undefined) counts[i] = flat[k + 1]!;
    }
    this.#trainCounts = counts;
    this.#prior = this.#priors();
  }

  /** Replaces the project's terms per label (`labels.terms`); labels not in the catalogue are skipped. */
  setProjectTerms(labels: readonly { labelId: number; terms: readonly string[] }[]): void {
    const entries = labels.flatMap((l) => {
      const i = this.#byId.get(l.labelId);
      return i === undefined || l.terms.length === 0 ? [] : [{ label: i, terms: l.terms }];
    });
    this.#projectTerms = entries.length ? new ProjectTerms(entries) : null;
  }

  /** The project's terms of one label (the picker shows them), most distinctive first. */
  projectTermsOf(id: number): readonly string[] {
    const i = this.#byId.get(id);
    return i === undefined ? [] : (this.#projectTerms?.termsOf(i) ?? []);
  }

  isLeaf(i: number): boolean {
    return this.#leaf[i] === 1;
  }

  /** The hit for one label row id (null when unknown). */
  get(id: number): LabelHit | null {
    const i = this.#byId.get(id);
    return i === undefined ? null : this.#hit(i, null);
  }

  /** Top-level nodes (ICD chapters), or the children of `parentId`, in code order. */
  children(parentId: number | null): LabelHit[] {
    let list: ArrayLike<number>;
    if (parentId === null) list = this.#d.roots;
    else {
      const p = this.#byId.get(parentId);
      if (p === undefined) return [];
      list = this.#d.children.subarray(this.#d.childStart[p]!, this.#d.childStart[p + 1]!);
    }
    return Array.from(list, (i) => this.#hit(i, null));
  }

  search(query: string, options: { limit?: number; leafOnly?: boolean } = {}): SearchResult {
    const limit = options.limit ?? 50;
    const leafOnly = options.leafOnly ?? false;
    const trimmed = query.trim();
    if (!trimmed) return { items: [], total: 0 };
    const searchEpoch = this.#nextEpoch();
    const codes = this.#codeMatches(trimmed, searchEpoch, leafOnly);
    const picked = codes.slice(0, limit);
    // Text: the query as typed and its readings through the abbreviation list, best score per label.
    const typed = [...new Set(words(trimmed))].slice(0, 8);
    const readings: Reading[] = [];
    if (typed.length) {
      readings.push({ terms: typed, plans: typed.map((t) => this.#plan(t)), bonus: 0, rewrite: null });
      for (const r of rewrites(typed, this.#rewrites)) readings.push({ terms: r.terms.slice(0, 8), plans: r.terms.slice(0, 8).map((t) => this.#plan(t)), bonus: REWRITE_BONUS, rewrite: r.rewrite });
    }
    if (readings.length === 1) {
      // The usual case: one reading, no union to build.
      const n = this.#matchReading(readings[0]!, searchEpoch, leafOnly);
      const top = this.#best(this.#survivors, n, this.#readingScore, limit - picked.length);
      return { items: [...picked.map((i) => this.#hit(i, null)), ...top.map((i) => this.#hit(i, readings[0]!))], total: codes.length + n };
    }
    const union = this.#union;
    let unionSize = 0;
    readings.forEach((reading, k) => {
      const scores = this.#readingScore;
      const survivors = this.#survivors;
      const n = this.#matchReading(reading, searchEpoch, leafOnly);
      for (let j = 0; j < n; j++) {
        const i = survivors[j]!;
        const s = scores[i]!;
        if (this.#unionEpoch[i] !== searchEpoch) {
          this.#unionEpoch[i] = searchEpoch;
          this.#unionScore[i] = s;
          this.#unionReading[i] = k;
          union[unionSize++] = i;
        } else if (s > this.#unionScore[i]!) {
          this.#unionScore[i] = s;
          this.#unionReading[i] = k;
        }
      }
    });
    const top = this.#best(union, unionSize, this.#unionScore, limit - picked.length);
    const items = [...picked.map((i) => this.#hit(i, null)), ...top.map((i) => this.#hit(i, readings[this.#unionReading[i]!]!))];
    return { items, total: codes.length + unionSize };
  }

  /** Labels whose code starts like the query ("e11", "E11.9", "A00-A09"): the exact code, then the hierarchy walk. */
  #codeMatches(query: string, epoch: number, leafOnly: boolean): number[] {
    const key = codeKey(query);
    if (!/^[A-Z]{1,2}\d[A-Z0-9]{0,10}$/.test(key) && !/^\d{2,}[A-Z0-9]*$/.test(key)) return [];
    const { text, keyAt, codeOrder, codeRank } = this.#d;
    const [lo, hi] = prefixRange(text, keyAt, key);
    const exact: number[] = [];
    const prefixed: number[] = [];
    for (let r = lo; r < hi; r++) {
      const i = codeOrder[r]!;
      this.#codeEpoch[i] = epoch;
      // Keys are sorted, so the exact ones come first in the range.
      if (!leafOnly || this.#leaf[i] === 1) (keyAt[r + 1]! - keyAt[r]! === key.length ? exact : prefixed).push(i);
    }
    return [...exact, ...prefixed.sort((a, b) => codeRank[a]! - codeRank[b]!)];
  }

  /**
   * What one query word matches (see `TermPlan`). Words with a prefix are one contiguous range of
   * postings, the word itself (when it exists) first: a whole-word hit and a prefix hit are two
   * segments. Near words are looked for only when nothing matches as typed.
   */
  #plan(term: string): TermPlan {
    const { text, wordAt, postStart, postings } = this.#d;
    const segments: Segment[] = [];
    const add = (seg: Segment): void => {
      if (seg.to > seg.from) segments.push(seg);
    };
    const [lo, hi] = prefixRange(text, wordAt, term);
    const exact = hi > lo && this.#wordLength(lo) === term.length ? 1 : 0;
    add({ postings, from: postStart[lo]!, to: postStart[lo + exact]!, shift: 1, title: TITLE * WHOLE_WORD, synonym: SYNONYM * WHOLE_WORD });
    add({ postings, from: postStart[lo + exact]!, to: postStart[hi]!, shift: 1, title: TITLE, synonym: SYNONYM });
    const pt = this.#projectTerms;
    if (pt) {
      const [plo, phi] = pt.range(term);
      const pexact = phi > plo && pt.words[plo]!.length === term.length ? 1 : 0;
      add({ postings: pt.postings, from: pt.postStart[plo]!, to: pt.postStart[plo + pexact]!, shift: 0, title: PROJECT_TERM * WHOLE_WORD, synonym: 0 });
      add({ postings: pt.postings, from: pt.postStart[plo + pexact]!, to: pt.postStart[phi]!, shift: 0, title: PROJECT_TERM, synonym: 0 });
    }
    const near = segments.length === 0 ? this.#nearWords(term) : [];
    for (const { w, weight } of near) add({ postings, from: postStart[w]!, to: postStart[w + 1]!, shift: 1, title: TITLE * WHOLE_WORD * weight, synonym: SYNONYM * WHOLE_WORD * weight });
    let size = 0;
    for (const seg of segments) size += seg.to - seg.from;
    return { term, segments, near: near.map((n) => n.w), size };
  }

  /**
   * Catalogue words within the typo budget of `term` (same first letter: coders rarely slip
   * there, and it keeps the scan to one letter's words). A whole-word match weighs 0.7 (one edit)
   * or 0.5 (two); a word whose start is near what was typed so far, 0.55 or 0.4.
   */
  #nearWords(term: string): { w: number; weight: number }[] {
    const budget = typoBudget(term.length);
    if (budget === 0) return [];
    const [lo, hi] = prefixRange(this.#d.text, this.#d.wordAt, term[0]!);
    const found: { w: number; weight: number }[] = [];
    for (let w = lo; w < hi; w++) {
      if (this.#wordLength(w) < term.length - budget) continue;
      const d = boundedDistances(term, this.#d.text, this.#d.wordAt[w]!, this.#d.wordAt[w + 1]!, budget);
      const weight = d.whole <= budget ? (d.whole === 1 ? 0.7 : 0.5) : d.prefix <= budget ? (d.prefix === 1 ? 0.55 : 0.4) : 0;
      if (weight > 0) found.push({ w, weight });
    }
    return found.sort((a, b) => b.weight - a.weight).slice(0, MAX_NEAR_WORDS);
  }

  /**
   * Adds one term's hits: `#hits[i]` counts the terms label i matched so far (terms taken rarest
   * first, so candidates only shrink); `#score` sums the best hit of each finished term,
   * `#termBest` holds the current term's best. Inner loops over typed arrays: this is the hot path
   * (a one-letter query visits several hundred thousand postings).
   */
  #accumulate(plan: TermPlan, step: number, epoch: number): void {
    const hits = this.#hits;
    const marks = this.#epoch;
    const score = this.#score;
    const best = this.#termBest;
    for (const { postings, from, to, shift, title, synonym } of plan.segments) {
      for (let p = from; p < to; p++) {
        const entry = postings[p]!;
        const i = entry >> shift;
        const s = shift === 0 || (entry & 1) === 1 ? title : synonym;
        if (step === 0) {
          if (marks[i] !== epoch) {
            marks[i] = epoch;
            hits[i] = 1;
            score[i] = 0;
            best[i] = s;
          } else if (s > best[i]!) best[i] = s;
        } else if (marks[i] === epoch) {
          if (hits[i] === step) {
            score[i] = score[i]! + best[i]!;
            hits[i] = step + 1;
            best[i] = s;
          } else if (hits[i] === step + 1 && s > best[i]!) best[i] = s;
        }
      }
    }
  }

  /**
   * The labels that matched all `need` terms, each once (every one is in the last term's
   * postings; `#hits` → 0xff marks it taken), leaving out code matches (listed already) and,
   * leaf-only, labels with children. Written to `#survivors`; returns how many.
   */
  #collect(plan: TermPlan, epoch: number, need: number, searchEpoch: number, leafOnly: boolean): number {
    const hits = this.#hits;
    const marks = this.#epoch;
    const out = this.#survivors;
    const { family } = this.#d;
    const familyEpoch = this.#familyEpoch;
    const familyCount = this.#familyCount;
    let count = 0;
    for (const { postings, from, to, shift } of plan.segments) {
      for (let p = from; p < to; p++) {
        const i = postings[p]! >> shift;
        if (marks[i] !== epoch || hits[i] !== need) continue;
        hits[i] = 0xff;
        if ((leafOnly && this.#leaf[i] === 0) || this.#codeEpoch[i] === searchEpoch) continue;
        out[count++] = i;
        // Each family's share of the matches: the common concept is the one most matches belong
        // to ("diabetes": ~450 diabetes mellitus codes in E08-E13, 2 diabetes insipidus codes elsewhere).
        const f = family[i]!;
        if (familyEpoch[f] !== epoch) {
          familyEpoch[f] = epoch;
          familyCount[f] = 1;
        } else familyCount[f]!++;
      }
    }
    return count;
  }

  /** Labels matching every term of a reading (AND), in `#survivors`; their scores in `#readingScore`. */
  #matchReading(reading: Reading, searchEpoch: number, leafOnly: boolean): number {
    const epoch = this.#nextEpoch();
    const order = reading.plans.map((_, k) => k).sort((a, b) => reading.plans[a]!.size - reading.plans[b]!.size);
    const need = order.length;
    order.forEach((k, step) => this.#accumulate(reading.plans[k]!, step, epoch));
    const total = this.#collect(reading.plans[order[need - 1]!]!, epoch, need, searchEpoch, leafOnly);
    const survivors = this.#survivors;
    const { family } = this.#d;
    const [first0, first1] = prefixRange(this.#d.text, this.#d.wordAt, reading.terms[0]!);
    const { firstWord } = this.#d;
    const prior = this.#prior;
    const scores = this.#readingScore;
    const familyBonus = this.#familyBonus;
    for (let k = 0; k < total; k++) {
      const i = survivors[k]!;
      const f = family[i]!;
      // Computed once per family (the count is final now), marked by flipping the count negative.
      if (this.#familyCount[f]! > 0) {
        familyBonus[f] = 0.6 * Math.log10(1 + (100 * this.#familyCount[f]!) / total);
        this.#familyCount[f] = -1;
      }
      let s = this.#score[i]! + this.#termBest[i]! + reading.bonus + prior[i]! + familyBonus[f]!;
      const fw = firstWord[i]!;
      // The title starts with the first word the coder typed (not one a rewrite put there).
      if (reading.rewrite === null && fw >= first0 && fw < first1) s += 0.5;
      scores[i] = s;
    }
    return total;
  }

  /** The `limit` best of the first `count` `candidates` by `score`, ties in hierarchy order. */
  #best(candidates: Int32Array, count: number, score: Float32Array, limit: number): number[] {
    if (limit <= 0) return [];
    const rank = this.#d.codeRank;
    const before = (a: number, b: number): boolean => score[a]! > score[b]! || (score[a] === score[b] && rank[a]! < rank[b]!);
    const top: number[] = [];
    for (let k = 0; k < count; k++) {
      const i = candidates[k]!;
      if (top.length === limit && !before(i, top[limit - 1]!)) continue;
      let pos = top.length;
      while (pos > 0 && before(i, top[pos - 1]!)) pos--;
      top.splice(pos, 0, i);
      if (top.length > limit) top.pop();
    }
    return top;
  }

  #nextEpoch(): number {
    this.#currentEpoch++;
    if (this.#currentEpoch === 0xffffffff) {
      for (const a of [this.#epoch, this.#codeEpoch, this.#unionEpoch, this.#familyEpoch]) a.fill(0);
      this.#currentEpoch = 1;
    }
    return this.#currentEpoch;
  }

  /** A chapter's code range from its first and last block ("A00–B99"); any other code as it is. */
  #displayCode(i: number): string {
    const code = this.#code(i);
    if (!this.#d.category[i] || !CHAPTER.test(code)) return code;
    let shown = this.#displayCodes.get(i);
    if (shown === undefined) {
      const { childStart, children } = this.#d;
      const a = childStart[i]!;
      const b = childStart[i + 1]!;
      shown = b > a ? `${this.#code(children[a]!).split('-')[0]}–${this.#code(children[b - 1]!).split('-').pop()}` : code;
      this.#displayCodes.set(i, shown);
    }
    return shown;
  }

  #hit(i: number, reading: Reading | null): LabelHit {
    const path: LabelHit['path'] = [];
    for (let p = this.#d.parent[i]!; p >= 0 && path.length < 12; p = this.#d.parent[p]!) {
      const code = this.#code(p);
      const title = this.#title(p);
      path.unshift({ code, title, display: this.#d.category[p] && CHAPTER.test(code) ? title : code });
    }
    const { matchedSynonym, matchedBy } = reading ? this.#howMatched(i, reading) : { matchedSynonym: null, matchedBy: null };
    return {
      id: this.#d.ids[i]!,
      code: this.#code(i),
      displayCode: this.#displayCode(i),
      title: this.#title(i),
      kind: this.#d.category[i] ? 'category' : 'code',
      leaf: this.isLeaf(i),
      flagged: this.#d.flagged[i] === 1,
      trainCount: this.#trainCounts[i]!,
      childCount: this.#d.childStart[i + 1]! - this.#d.childStart[i]!,
      path,
      matchedSynonym,
      matchedBy,
    };
  }

  /** For the picker to say why a label is listed: the synonym, the abbreviation, the typo or the project term. */
  #howMatched(i: number, reading: Reading): Pick<LabelHit, 'matchedSynonym' | 'matchedBy'> {
    const has = (ws: string[], t: string): boolean => ws.some((w) => w.startsWith(t));
    const titleWords = words(this.#title(i));
    const synonyms = this.#synonyms(i).map((s) => ({ s, ws: words(s) }));
    const literal = reading.terms.filter((t) => has(titleWords, t) || synonyms.some((x) => has(x.ws, t)));
    const inTitle = literal.every((t) => has(titleWords, t));
    const matchedSynonym = inTitle ? null : (synonyms.find((x) => literal.every((t) => has(x.ws, t)))?.s ?? null);
    if (reading.rewrite) return { matchedSynonym, matchedBy: { kind: 'abbreviation', text: reading.rewrite.label } };
    const missing = reading.terms.filter((t) => !literal.includes(t));
    if (missing.length === 0) return { matchedSynonym, matchedBy: null };
    const term = this.#projectTerms?.termMatching(i, missing);
    if (term) return { matchedSynonym, matchedBy: { kind: 'project', text: term } };
    const all = [...titleWords, ...synonyms.flatMap((x) => x.ws)];
    const fixes = missing.flatMap((t) => {
      const near = reading.plans.find((p) => p.term === t)?.near.map((w) => this.#word(w)).find((w) => all.some((x) => x.startsWith(w) || w.startsWith(x)));
      return near ? [`${t} → ${near}`] : [];
    });
    return { matchedSynonym, matchedBy: fixes.length ? { kind: 'spelling', text: fixes.join(', ') } : null };
  }
}
