/**
 * Fuzzing helpers: byte-level mutations of seed files (fast-check arbitraries, so every case is
 * reproducible from the seed), and a verdict for "rejected cleanly": a PlanterError whose message
 * names the problem. Anything else thrown, or no answer in time, is a crash.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { PlanterError } from '../../../shared/errors';

/** Bytes that break parsers: quotes, separators, line ends, brackets, NUL, BOMs, invalid UTF-8. */
export const NASTY_TOKENS: readonly Uint8Array[] = [
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  ',',
  '\t',
  ';',
  '{',
  '}',
  '[',
  ']',
  ':',
  '\\',
  '\\u0000',
  '\u0000',
  '\ufeff',
  'null',
  '1e999',
  '-0',
  ' ',
  '😀',
  '\u2028',
  '"text":',
  '"labels":[',
].map((s) => new Uint8Array(Buffer.from(s, 'utf8'))).concat([Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xc3), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0x1f, 0x8b)]);

export type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; token: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }).map((m) => ({ ...m, at: m.at })),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('insert' as const), at: position, token: fc.integer({ min: 0, max: NASTY_TOKENS.length - 1 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
) as fc.Arbitrary<Mutation>;

/** Applies mutations in order; positions are fractions of the current length. */
export function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(seed);
  for (const m of mutations) {
    const at = Math.min(b.length, Math.floor((m as { at: number }).at * (b.length + 1)));
    switch (m.op) {
      case 'flip':
        if (b.length) b[Math.min(at, b.length - 1)] = m.byte;
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), NASTY_TOKENS[m.token]!, b.subarray(at)]);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
    }
  }
  return new Uint8Array(b);
}

/** A mutated seed, sometimes gzipped (and then sometimes with the gzip stream cut short). */
export function mutatedFileArb(seeds: readonly Uint8Array[]): fc.Arbitrary<{ bytes: Uint8Array; describe: string }> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
      gzip: fc.constantFrom('none', 'none', 'none', 'none', 'gzip', 'gzip-cut'),
      cut: position,
    })
    .map(({ seed, mutations, gzip, cut }) => {
      let bytes = mutate(seeds[seed]!, mutations);
      if (gzip !== 'none') {
        const z = gzipSync(bytes);
        bytes = new Uint8Array(gzip === 'gzip' ? z : z.subarray(0, Math.floor(cut * z.length)));
      }
      return { bytes, describe: `seed ${seed}, ${gzip}, mutations ${JSON.stringify(mutations)}` };
    });
}

/** Any JSON value, biased towards the shapes importers look at. */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

export interface Verdict {
  kind: 'accepted' | 'rejected' | 'crash';
  detail: string;
}

/** A rejection is clean when it is a PlanterError whose message names what and where. */
export function judgeRejection(e: unknown, expectFile?: string): Verdict {
  if (!(e instanceof PlanterError)) return { kind: 'crash', detail: `not a PlanterError: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}` };
  if (e.code === 'internal') return { kind: 'crash', detail: `internal: ${e.message}` };
  const m = e.message;
  if (m.trim().length < 8 || /undefined|\[object Object\]|NaN/.test(m)) return { kind: 'crash', detail: `a message that names nothing: ${JSON.stringify(m)}` };
  if (expectFile !== undefined) {
    if (!m.startsWith(expectFile)) return { kind: 'crash', detail: `the message does not start with the file name: ${JSON.stringify(m)}` };
    if (e.details?.file !== expectFile) return { kind: 'crash', detail: `details.file is ${JSON.stringify(e.details?.file)}: ${m}` };
    if (e.details?.line !== undefined && !m.includes(`line ${e.details.line}`)) return { kind: 'crash', detail: `details.line ${e.details.line} but the message says otherwise: ${m}` };
  }
  return { kind: 'rejected', detail: `${e.code}: ${m}` };
}

/** Races a promise against a timer: a hang is reported, never waited out. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new HangError(`${what}: no answer after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export class HangError extends Error {
  override name = 'HangError';
}
