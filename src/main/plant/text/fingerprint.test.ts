import { describe, expect, it } from 'vitest';
import { fnv1a64Hex } from './fingerprint';

describe('fnv1a64Hex', () => {
  // Reference values of the standard FNV-1a 64 (ASCII input, so code units = bytes).
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });
  it('differs for different strings and is deterministic', () => {
    expect(fnv1a64Hex('abc')).not.toBe(fnv1a64Hex('acb'));
    expect(fnv1a64Hex('naïve')).toBe(fnv1a64Hex('naïve'));
  });
});
