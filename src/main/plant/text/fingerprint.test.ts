import { describe, expect, it } from 'vitest';
import { fnv1a64Hex } from './fingerprint';

/** FNV-1a 64 with exact 64-bit integers, over UTF-16 code units as the fingerprint's doc says. */
function referenceFnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = ((hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

/** Strings of random code units (surrogates and all), from a fixed seed. */
function randomStrings(count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0);
  return Array.from({ length: count }, () => String.fromCharCode(...Array.from({ length: next() % 40 }, () => next() % 0x10000)));
}

describe('fnv1a64Hex', () => {
  // Reference values of the standard FNV-1a 64 (ASCII input, so code units = bytes).
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it('agrees with exact 64-bit arithmetic on non-ASCII, astral and random code units', () => {
    // The split into 32-bit halves must carry exactly; wide code units make the largest partial products.
    for (const text of ['naïve', 'Varón de 67 años', '心筋梗塞', '𝄞 and 😀', '\uffff'.repeat(50), ...randomStrings(200, 13)]) {
      expect(fnv1a64Hex(text)).toBe(referenceFnv1a64(text));
    }
  });

  it('depends on order and on every character', () => {
    expect(fnv1a64Hex('abc')).not.toBe(fnv1a64Hex('acb'));
    expect(fnv1a64Hex('tokens\n')).not.toBe(fnv1a64Hex('tokens'));
    const outputs = new Set(randomStrings(500, 7).map((text, i) => fnv1a64Hex(`${i}:${text}`)));
    expect(outputs.size).toBe(500);
  });
});
