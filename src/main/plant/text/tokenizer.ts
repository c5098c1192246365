/**
 * Planter's word tokenizer (PLANT.md §2: the token stream that MIG, the encoder and the evidence
 * highlighter all share). Pure, deterministic, no dependencies.
 *
 * Decisions, and why:
 * - A token is a maximal run of letters, combining marks and digits (`\p{L}\p{M}\p{N}`). Inside a
 *   run, `. , / : -` are kept only *between two digits*, so "T81.4", "1234/85", "0.5", "24-48",
 *   "12:30" stay single tokens while "end.Next" or "anti-inflammatory" split into words.
 * - Punctuation is dropped, not emitted. MIG works on document-level presence, and punctuation
 *   occurs in nearly every document, so its mutual information with any label is ~0; emitting it
 *   would only burn positions of the fixed window T (256–512) that content tokens need.
 *   Apostrophes split ("crohn's" → "crohn", "s"): language-neutral, and "s" is harmless noise.
 * - Lower-cased, then NFKC-normalised (only tokens with non-ASCII characters pay for NFKC), so
 *   full-width "ＥＵ", ligatures "ﬁ" and superscripts "²" match their plain forms.
 * - Numbers (default `numbers: 'shape'`): every decimal digit becomes `0`, runs longer than
 *   `maxDigitRun` are cut to that length. "5 mg" → "0 mg", "0.25" → "0.00", "T81.4" → "t00.0",
 *   "No 1234/85" → "no 0000/00", "1985" → "0000". The shape keeps what matters for labels
 *   (magnitude, decimal doses, a letter-prefixed code class, a regulation-number pattern) with a
 *   bounded vocabulary; the exact numbers would each be a rare token with a noisy MIG score.
 *   `'class'` maps purely numeric tokens to `<num>` (mixed tokens like "t81.4" still get the
 *   shape); `'keep'` leaves digits untouched.
 * - Offsets are UTF-16 indices into the *original* string (`text.slice(start, end)` is the raw
 *   token), because the UI highlights evidence in the text the user sees.
 */

/** How numbers are normalised; see the module comment. */
export type NumberMode = 'shape' | 'class' | 'keep';

/** Tokenizer settings. Serialised with the vocabulary, so an exported model carries them. */
export interface TokenizerSettings {
  /** Bumped whenever tokenisation rules change in a way that changes output for some text. */
  readonly version: 1;
  readonly numbers: NumberMode;
  /** Longest digit run kept by `numbers: 'shape'`; longer runs are cut ("123456" → "0000"). */
  readonly maxDigitRun: number;
}

/** The class token that `numbers: 'class'` emits for purely numeric tokens. */
export const NUM_TOKEN = '<num>';

export const DEFAULT_TOKENIZER_SETTINGS: TokenizerSettings = Object.freeze({
  version: 1,
  numbers: 'shape',
  maxDigitRun: 4,
});

/** Tokens of one text with their UTF-16 offsets in the original string. */
export interface TokenizedText {
  readonly tokens: string[];
  /** [n] start offset of token i (inclusive), UTF-16 code units. */
  readonly startsUtf16: Int32Array;
  /** [n] end offset of token i (exclusive), UTF-16 code units. */
  readonly endsUtf16: Int32Array;
}

const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const JOINER = 3;

/** Class of each ASCII code unit. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z]/.test(ch)) ASCII_CLASS[c] = LETTER;
  else if (/[0-9]/.test(ch)) ASCII_CLASS[c] = DIGIT;
  else if ('.,/:-'.includes(ch)) ASCII_CLASS[c] = JOINER;
}

const WORD_CHAR = /^[\p{L}\p{M}]$/u;
const NUMBER_CHAR = /^\p{N}$/u;
const DECIMAL_DIGIT = /\p{Nd}/u;
const DECIMAL_DIGIT_RUNS = /\p{Nd}+/gu;
/** Non-ASCII code point → class. Texts use few distinct non-ASCII characters, so this stays small. */
const nonAsciiClass = new Map<number, number>();

function classOfNonAscii(cp: number): number {
  let cls = nonAsciiClass.get(cp);
  if (cls === undefined) {
    const ch = String.fromCodePoint(cp);
    cls = NUMBER_CHAR.test(ch) ? DIGIT : WORD_CHAR.test(ch) ? LETTER : OTHER;
    nonAsciiClass.set(cp, cls);
  }
  return cls;
}

/**
 * Calls `emit(start, end, hasDigit, hasNonAscii)` for each raw token span of `text`.
 * Hand-written instead of a Unicode regex: 2–3× faster on EURLEX57K (see docs/mig.md).
 */
function scan(
  text: string,
  emit: (start: number, end: number, hasDigit: boolean, hasNonAscii: boolean) => void,
): void {
  const n = text.length;
  let start = -1;
  let hasDigit = false;
  let hasNonAscii = false;
  let prevDigit = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (c < 128) {
      cls = ASCII_CLASS[c]!;
    } else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) width = 2;
      cls = classOfNonAscii(cp);
    }
    if (cls === LETTER || cls === DIGIT) {
      if (start < 0) {
        start = i;
        hasDigit = false;
        hasNonAscii = false;
      }
      if (cls === DIGIT) hasDigit = true;
      if (c >= 128) hasNonAscii = true;
      prevDigit = cls === DIGIT;
      i += width;
      continue;
    }
    if (cls === JOINER && start >= 0 && prevDigit && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      const nextIsDigit =
        next < 128 ? ASCII_CLASS[next] === DIGIT : classOfNonAscii(text.codePointAt(i + 1)!) === DIGIT;
      if (nextIsDigit) {
        prevDigit = false;
        i += 1;
        continue;
      }
    }
    if (start >= 0) {
      emit(start, i, hasDigit, hasNonAscii);
      start = -1;
    }
    prevDigit = false;
    i += width;
  }
  if (start >= 0) emit(start, n, hasDigit, hasNonAscii);
}

function isPurelyNumeric(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 128 && ASCII_CLASS[c] === LETTER) return false;
    if (c >= 128 && classOfNonAscii(token.codePointAt(i)!) === LETTER) return false;
  }
  return true;
}

function shapeDigits(token: string, maxRun: number): string {
  return token.replace(DECIMAL_DIGIT_RUNS, (run) => '0'.repeat(Math.min(run.length, maxRun)));
}

/**
 * Normalises one raw token span (lower-case, NFKC, number rule). `lowered` says whether `raw` was
 * cut from an already lower-cased text.
 */
function normalizeToken(
  raw: string,
  lowered: boolean,
  hasDigit: boolean,
  hasNonAscii: boolean,
  settings: TokenizerSettings,
): string {
  let token = raw;
  if (hasNonAscii) {
    // Lower-case again after NFKC: compatibility forms can map to capitals ("ℌ" → "H").
    token = token.normalize('NFKC').toLowerCase();
    // NFKC can turn a non-digit into digits ("²" → "2", "½" → "1⁄2").
    hasDigit = hasDigit || DECIMAL_DIGIT.test(token);
  } else if (!lowered) {
    token = token.toLowerCase();
  }
  if (!hasDigit || settings.numbers === 'keep') return token;
  if (settings.numbers === 'class' && isPurelyNumeric(token)) return NUM_TOKEN;
  return shapeDigits(token, settings.maxDigitRun);
}

/**
 * Tokenises `text` into normalised tokens (no offsets; the fast path for corpus processing).
 * @example tokenize('Regulation (EEC) No 1234/85') // ['regulation', 'eec', 'no', '0000/00']
 */
export function tokenize(text: string, settings: TokenizerSettings = DEFAULT_TOKENIZER_SETTINGS): string[] {
  const tokens: string[] = [];
  const { source, lowered } = lowerIfAligned(text);
  scan(source, (start, end, hasDigit, hasNonAscii) => {
    tokens.push(normalizeToken(source.slice(start, end), lowered, hasDigit, hasNonAscii, settings));
  });
  return tokens;
}

/**
 * Lower-cases the whole text at once (one native call instead of one per token) when that keeps
 * every UTF-16 offset in place. Only a few characters change length when lower-cased ("İ" → "i̇");
 * none shrinks, so equal length means aligned offsets. Otherwise tokens are lower-cased one by one.
 */
function lowerIfAligned(text: string): { source: string; lowered: boolean } {
  const lower = text.toLowerCase();
  return lower.length === text.length ? { source: lower, lowered: true } : { source: text, lowered: false };
}

/**
 * Tokenises `text` and keeps each token's UTF-16 span in the original string, for highlighting.
 * `tokens` equals `tokenize(text, settings)`.
 */
export function tokenizeWithOffsets(
  text: string,
  settings: TokenizerSettings = DEFAULT_TOKENIZER_SETTINGS,
): TokenizedText {
  const tokens: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const { source, lowered } = lowerIfAligned(text);
  scan(source, (start, end, hasDigit, hasNonAscii) => {
    tokens.push(normalizeToken(source.slice(start, end), lowered, hasDigit, hasNonAscii, settings));
    starts.push(start);
    ends.push(end);
  });
  return { tokens, startsUtf16: Int32Array.from(starts), endsUtf16: Int32Array.from(ends) };
}

/** Throws with a precise message when `value` is not valid tokenizer settings (used at load time). */
export function parseTokenizerSettings(value: unknown): TokenizerSettings {
  const v = value as Partial<Record<keyof TokenizerSettings, unknown>> | null;
  if (typeof v !== 'object' || v === null) throw new Error('tokenizer settings: expected an object');
  if (v.version !== 1) throw new Error(`tokenizer settings: unsupported version ${String(v.version)} (expected 1)`);
  if (v.numbers !== 'shape' && v.numbers !== 'class' && v.numbers !== 'keep') {
    throw new Error(`tokenizer settings: "numbers" is ${String(v.numbers)} (expected shape, class or keep)`);
  }
  if (typeof v.maxDigitRun !== 'number' || !Number.isInteger(v.maxDigitRun) || v.maxDigitRun < 1) {
    throw new Error(`tokenizer settings: "maxDigitRun" is ${String(v.maxDigitRun)} (expected an integer ≥ 1)`);
  }
  return { version: 1, numbers: v.numbers, maxDigitRun: v.maxDigitRun };
}
