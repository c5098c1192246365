/**
 * 64-bit FNV-1a over the UTF-16 code units of a string, as 16 hex digits. Pure TypeScript so the
 * same fingerprint can be computed anywhere (main, renderer, CLI) without node:crypto. It detects
 * accidental mismatches (a model loaded with another vocabulary), not tampering.
 */
const TWO_32 = 4294967296;

/** FNV-1a 64 of `text` (code units XORed in one at a time) as lower-case hex, 16 characters. */
export function fnv1a64Hex(text: string): string {
  // Offset basis 0xcbf29ce484222325 split into 32-bit halves.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // Multiply (hi, lo) by the prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64. Every partial
    // product stays below 2^53, so doubles are exact.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / TWO_32);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) % TWO_32;
    lo = loProduct % TWO_32;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
