/**
 * Vocabulary: token string ↔ id, built from the training split's token streams only (tokens seen
 * only in evaluation documents must not shape the model). Ids are stable: specials first, then by
 * count descending, ties by token string in code-unit order (not locale order, which varies by
 * platform).
 */
import { fnv1a64Hex } from './fingerprint';
import { DEFAULT_TOKENIZER_SETTINGS, NUM_TOKEN, parseTokenizerSettings } from './tokenizer';
import type { TokenizerSettings } from './tokenizer';

export const PAD_ID = 0;
export const UNK_ID = 1;
export const MASK_ID = 2;
/** Id of `<num>`; reserved in every vocabulary so ids do not depend on the number mode. */
export const NUM_ID = 3;
export const SPECIAL_TOKENS: readonly string[] = Object.freeze(['<pad>', '<unk>', '<mask>', NUM_TOKEN]);

/** What a token's count means for `minCount` and ordering. */
export type CountBy = 'documents' | 'occurrences';

export interface VocabularyOptions {
  /** Tokens counted fewer times are left out (→ `<unk>`). Default 2. */
  readonly minCount?: number;
  /** Largest vocabulary size, specials included. Default: no limit. */
  readonly maxSize?: number;
  /**
   * Default `'documents'` (document frequency): MIG only sees presence per document, so a token
   * repeated 50 times in one document is still one piece of evidence.
   */
  readonly countBy?: CountBy;
}

/** The serialised form; `fingerprint` is checked on load. */
export interface VocabularyJson {
  readonly format: 'planter-vocabulary';
  readonly version: 1;
  readonly tokenizer: TokenizerSettings;
  readonly countBy: CountBy;
  readonly tokens: readonly string[];
  /** Count per id (0 for specials), in the unit of `countBy`. */
  readonly counts: readonly number[];
  readonly fingerprint: string;
}

/** Fingerprint of a vocabulary: tokenizer settings + the id → token list (counts do not matter). */
export function vocabularyFingerprint(tokenizer: TokenizerSettings, tokens: readonly string[]): string {
  const canonical = JSON.stringify([tokenizer.version, tokenizer.numbers, tokenizer.maxDigitRun, tokens]);
  return `fnv1a64:${fnv1a64Hex(canonical)}`;
}

/** An immutable token ↔ id map with the tokenizer settings it was built with. */
export class Vocabulary {
  readonly tokens: readonly string[];
  /** [V] count per id in the unit of `countBy` (0 for specials). */
  readonly counts: Int32Array;
  readonly tokenizer: TokenizerSettings;
  readonly countBy: CountBy;
  readonly fingerprint: string;
  readonly #ids: Map<string, number>;

  constructor(tokens: readonly string[], counts: Int32Array, tokenizer: TokenizerSettings, countBy: CountBy) {
    for (let i = 0; i < SPECIAL_TOKENS.length; i++) {
      if (tokens[i] !== SPECIAL_TOKENS[i]) {
        throw new Error(`vocabulary: id ${i} must be ${SPECIAL_TOKENS[i]}, found ${String(tokens[i])}`);
      }
    }
    if (counts.length !== tokens.length) {
      throw new Error(`vocabulary: ${counts.length} counts for ${tokens.length} tokens`);
    }
    this.#ids = new Map();
    tokens.forEach((token, id) => {
      if (this.#ids.has(token)) throw new Error(`vocabulary: token "${token}" appears twice (ids ${this.#ids.get(token)} and ${id})`);
      this.#ids.set(token, id);
    });
    this.tokens = Object.freeze([...tokens]);
    this.counts = counts;
    this.tokenizer = tokenizer;
    this.countBy = countBy;
    this.fingerprint = vocabularyFingerprint(tokenizer, this.tokens);
  }

  /** Number of ids, specials included (V). */
  get size(): number {
    return this.tokens.length;
  }

  /** Id of `token`, or `UNK_ID` when it is not in the vocabulary. */
  idOf(token: string): number {
    return this.#ids.get(token) ?? UNK_ID;
  }

  /** Whether `token` has its own id. */
  has(token: string): boolean {
    return this.#ids.has(token);
  }

  toJSON(): VocabularyJson {
    return {
      format: 'planter-vocabulary',
      version: 1,
      tokenizer: this.tokenizer,
      countBy: this.countBy,
      tokens: this.tokens,
      counts: Array.from(this.counts),
      fingerprint: this.fingerprint,
    };
  }

  /**
   * Loads a serialised vocabulary and checks its fingerprint, so a hand-edited or truncated file
   * fails here instead of silently shifting ids.
   */
  static fromJSON(value: unknown): Vocabulary {
    const v = value as Partial<Record<keyof VocabularyJson, unknown>> | null;
    if (typeof v !== 'object' || v === null) throw new Error('vocabulary: expected an object');
    if (v.format !== 'planter-vocabulary' || v.version !== 1) {
      throw new Error(`vocabulary: unsupported format ${String(v.format)} version ${String(v.version)}`);
    }
    const tokenizer = parseTokenizerSettings(v.tokenizer);
    if (v.countBy !== 'documents' && v.countBy !== 'occurrences') {
      throw new Error(`vocabulary: "countBy" is ${String(v.countBy)} (expected documents or occurrences)`);
    }
    if (!Array.isArray(v.tokens) || !v.tokens.every((t) => typeof t === 'string')) {
      throw new Error('vocabulary: "tokens" must be an array of strings');
    }
    if (!Array.isArray(v.counts) || !v.counts.every((c) => Number.isInteger(c) && c >= 0)) {
      throw new Error('vocabulary: "counts" must be an array of non-negative integers');
    }
    const vocab = new Vocabulary(v.tokens as string[], Int32Array.from(v.counts as number[]), tokenizer, v.countBy);
    if (v.fingerprint !== vocab.fingerprint) {
      throw new Error(`vocabulary: fingerprint ${String(v.fingerprint)} does not match its content (${vocab.fingerprint})`);
    }
    return vocab;
  }
}

/** Counts tokens over documents (each document counted once per token when `countBy` is 'documents'). */
export function countTokens(docs: Iterable<readonly string[]>, countBy: CountBy = 'documents'): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const doc of docs) {
    if (countBy === 'documents') {
      seen.clear();
      for (const token of doc) seen.add(token);
      for (const token of seen) counts.set(token, (counts.get(token) ?? 0) + 1);
    } else {
      for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Builds a vocabulary from the **training split's** token streams.
 * @example buildVocabulary([['a', 'b'], ['a']], DEFAULT_TOKENIZER_SETTINGS, { minCount: 1 }).tokens
 *   // ['<pad>', '<unk>', '<mask>', '<num>', 'a', 'b']
 */
export function buildVocabulary(
  docs: Iterable<readonly string[]>,
  tokenizer: TokenizerSettings = DEFAULT_TOKENIZER_SETTINGS,
  options: VocabularyOptions = {},
): Vocabulary {
  const minCount = options.minCount ?? 2;
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  const countBy = options.countBy ?? 'documents';
  if (maxSize < SPECIAL_TOKENS.length) {
    throw new Error(`vocabulary: maxSize ${maxSize} is smaller than the ${SPECIAL_TOKENS.length} special tokens`);
  }
  const counts = countTokens(docs, countBy);
  const specials = new Set(SPECIAL_TOKENS);
  const kept: [string, number][] = [];
  for (const entry of counts) if (entry[1] >= minCount && !specials.has(entry[0])) kept.push(entry);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  kept.length = Math.min(kept.length, maxSize - SPECIAL_TOKENS.length);
  const tokens = [...SPECIAL_TOKENS, ...kept.map((e) => e[0])];
  const idCounts = new Int32Array(tokens.length);
  // `<num>` is a real token under numbers: 'class'; give it its count too.
  idCounts[NUM_ID] = counts.get(NUM_TOKEN) ?? 0;
  kept.forEach((e, i) => (idCounts[SPECIAL_TOKENS.length + i] = e[1]));
  return new Vocabulary(tokens, idCounts, tokenizer, countBy);
}
