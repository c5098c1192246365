/**
 * Typo tolerance for the label picker: the optimal-string-alignment distance (Levenshtein plus
 * swapping two adjacent letters, the commonest typing slip: "diabtes"), bounded so that a word
 * too far away costs a row or two, not a whole table.
 *
 * `typoBudget` is the rule of issue #14: words under 5 letters must be typed exactly (a short
 * word one edit away is another word: "ear"/"eye"), 5–7 letters may have one slip, 8 or more two.
 */
export function typoBudget(length: number): number {
  return length < 5 ? 0 : length < 8 ? 1 : 2;
}

export interface Distances {
  /** Distance from `a` to all of `b`, or `max + 1` when above `max`. */
  whole: number;
  /** Least distance from `a` to any prefix of `b` (what is typed so far), or `max + 1`. */
  prefix: number;
}

const NONE: Distances = Object.freeze({ whole: Infinity, prefix: Infinity });

// Three DP rows, reused between calls (the picker searches on the UI thread, one query at a time).
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Distances from the typed word `a` to the word `b`, where `b` is `text.slice(from, to)` (the
 * picker's words live in one packed string: no slice per candidate). Both are compared as given
 * (the index folds case and accents first).
 */
export function boundedDistances(a: string, text: string, from: number, to: number, max: number): Distances {
  const n = a.length;
  const m = to - from;
  if (m - n > max && n - m > max) return NONE;
  if (n - m > max) return { whole: max + 1, prefix: max + 1 };
  if (rows[0]!.length < m + 1) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = text.charCodeAt(from + j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === text.charCodeAt(from + j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return { whole: max + 1, prefix: max + 1 };
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  // `prev` holds the last row: distances from all of `a` to each prefix of `b`.
  let prefix = Infinity;
  for (let j = Math.max(0, n - max); j <= m; j++) if (prev[j]! < prefix) prefix = prev[j]!;
  return { whole: Math.min(prev[m]!, max + 1), prefix: Math.min(prefix, max + 1) };
}
