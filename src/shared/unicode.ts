/**
 * Unpaired UTF-16 surrogates: a JS string can hold one (from a JSON "\ud800" escape, a cut emoji),
 * UTF-8 cannot, so SQLite would store a replacement or an invalid sequence. Planter refuses such
 * text with a message naming where it is, instead of storing something other than what was sent.
 */

/** Index of the first unpaired surrogate in `text`, or −1. */
export function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** "an unpaired UTF-16 surrogate (\ud83d) at character 12": for messages. */
export function loneSurrogateProblem(text: string): string | null {
  const at = loneSurrogateAt(text);
  if (at < 0) return null;
  return `contains an unpaired UTF-16 surrogate (\\u${text.charCodeAt(at).toString(16)}) at character ${at + 1}: text must be valid Unicode (a cut emoji or a stray "\\u${text.charCodeAt(at).toString(16)}" escape?)`;
}

/** The path of the first string in a JSON-like value with an unpaired surrogate (keys included), or null. */
export function loneSurrogatePath(value: unknown, path: (string | number)[] = [], seen = new Set<unknown>()): { path: (string | number)[]; problem: string } | null {
  if (typeof value === 'string') {
    const problem = loneSurrogateProblem(value);
    return problem ? { path, problem } : null;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogatePath(value[i], [...path, i], seen);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const inKey = loneSurrogateProblem(k);
    if (inKey) return { path: [...path, k], problem: `has a key that ${inKey}` };
    const found = loneSurrogatePath(v, [...path, k], seen);
    if (found) return found;
  }
  return null;
}
