import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { jsonTopLevel, type JsonStreamOptions } from './json-stream';

async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const ARRAY: JsonStreamOptions = { expect: 'array', wrongTop: () => 'expected a JSON array' };
const OBJECT: JsonStreamOptions = { expect: 'object', wrongTop: () => 'expected an object' };
async function all(text: string | Buffer, size = 7, options = ARRAY): Promise<{ index: number; line: number; key?: string; value: unknown }[]> {
  const out = [];
  for await (const item of jsonTopLevel(chunked(text, size), 'f.json', options)) out.push(item);
  return out;
}
async function failure(text: string, options = ARRAY, size = 5): Promise<string> {
  try {
    await all(text, size, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PlanterError);
    return (e as Error).message;
  }
  throw new Error('expected a failure');
}

describe('jsonTopLevel', () => {
  it('yields each element of an array parsed on its own, at any chunk size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (values, size, pretty) => {
        const text = JSON.stringify(values, null, pretty ? 2 : 0);
        const got = await all(text, size);
        expect(got.map((g) => g.value)).toEqual(JSON.parse(text));
        expect(got.map((g) => g.index)).toEqual(values.map((_, i) => i + 1));
      }),
      { seed: 15, numRuns: 150 },
    );
  });

  it('yields the members of an object with their keys and starting lines', async () => {
    const text = '{\n "1": {"label": "a, [b]"},\n "2": {"label": "q\\"uote}"}\n}';
    expect(await all(text, 3, OBJECT)).toEqual([
      { index: 1, line: 2, key: '1', value: { label: 'a, [b]' } },
      { index: 2, line: 3, key: '2', value: { label: 'q"uote}' } },
    ]);
  });

  it('reads a UTF-8 BOM, multi-byte characters across chunks and an empty array', async () => {
    expect((await all(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('["niño", "日本"]')]), 1)).map((x) => x.value)).toEqual(['niño', '日本']);
    expect(await all('[ ]')).toEqual([]);
  });

  it('says what is wrong, and where', async () => {
    expect(await failure('[{"a": 1}, {"b": ')).toMatch(/^f\.json: invalid JSON: the file ends inside element 2 at line 1 \(the file looks truncated\)$/);
    expect(await failure('[1, 2')).toMatch(/the file ends inside element 2/);
    expect(await failure('[1, 2,')).toMatch(/the file ends inside the array/);
    expect(await failure('[1, ]')).toMatch(/unexpected "]" at line 1/);
    expect(await failure('[1 }')).toMatch(/unexpected "}" at line 1/);
    expect(await failure('[1]\n x')).toMatch(/unexpected content after the end of the document at line 2/);
    expect(await failure('[\n{"a": 1},\n{"a": tru}]')).toMatch(/invalid JSON: .*line 3/);
    expect(await failure('{"not": "an array"}')).toBe('f.json: expected a JSON array');
    expect(await failure('{"cut": ')).toMatch(/invalid JSON: .*\(the file looks truncated\)/);
    expect(await failure('[1]', OBJECT)).toBe('f.json: expected an object');
    expect(await failure('   ')).toBe('f.json: is empty: no JSON found');
    const bad = Buffer.concat([Buffer.from('["ok", "'), Buffer.from([0xff, 0xfe]), Buffer.from('"]')]);
    await expect(all(bad)).rejects.toThrow(/element 2 \(from line 1\) is not valid UTF-8/);
    await expect(async () => {
      for await (const _ of jsonTopLevel(chunked(`["${'x'.repeat(100)}"]`, 10), 'f.json', { ...ARRAY, maxItemBytes: 50 })) void _;
    }).rejects.toThrow(/element 1 \(from line 1\) is larger than 50 bytes/);
  });
});
