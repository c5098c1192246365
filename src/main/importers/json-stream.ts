/**
 * Reads a file that is one JSON document, an array (Label Studio's export) or an object (EUROVOC's
 * concepts), one top-level element at a time: each element's bytes are cut out of the stream by a
 * byte scanner (strings and nesting aware; structural characters are ASCII, so UTF-8 needs no
 * decoding to find them) and parsed on its own. Memory is one element, not the document (a 150 MB
 * export was a 150 MB string and then a 500 MB object tree, issue #15).
 */
import { isUtf8 } from 'node:buffer';
import { jsonErrorHint } from './jsonl';
import { badFile } from './read-lines';

export interface TopLevelItem {
  /** 1-based position among the top-level elements. */
  index: number;
  /** Line (1-based) the element starts on. */
  line: number;
  /** The member's key, for an object. */
  key?: string;
  value: unknown;
}

export interface JsonStreamOptions {
  /** What the top level must be. */
  expect: 'array' | 'object';
  /** The message when the top level is something else (given the parsed value, e.g. "found an object"). */
  wrongTop: (value: unknown) => string;
  /** Largest single element (a runaway string is refused rather than buffered). */
  maxItemBytes?: number;
  /** What an element is called in messages ("task", "concept"). */
  itemName?: string;
}

const MAX_ITEM_BYTES = 256 * 1024 * 1024;
const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

const truncated = (file: string, line: number, what: string): Error => badFile(file, undefined, `invalid JSON: the file ends inside ${what} at line ${line} (the file looks truncated)`);

/** Streams the top-level elements of a JSON array or object; see the module comment. */
export async function* jsonTopLevel(chunks: AsyncIterable<Buffer>, file: string, options: JsonStreamOptions): AsyncGenerator<TopLevelItem> {
  const maxItem = options.maxItemBytes ?? MAX_ITEM_BYTES;
  const noun = options.itemName ?? 'element';
  const open = options.expect === 'array' ? 0x5b : 0x7b; // [ {
  const close = options.expect === 'array' ? 0x5d : 0x7d; // ] }
  let line = 1;
  let state = 'start' as 'start' | 'wrong' | 'between' | 'item' | 'end';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let itemLine = 1;
  let index = 0;
  /** How much of a leading UTF-8 BOM (EF BB BF) has been skipped (it may straddle chunks). */
  let bom = 0;

  const parseItem = (bytes: Buffer): TopLevelItem => {
    index++;
    if (!isUtf8(bytes)) throw badFile(file, undefined, `${noun} ${index} (from line ${itemLine}) is not valid UTF-8; save the file as UTF-8`);
    const text = bytes.toString('utf8');
    try {
      if (options.expect === 'array') return { index, line: itemLine, value: JSON.parse(text) as unknown };
      const member = JSON.parse(`{${text}}`) as Record<string, unknown>;
      const key = Object.keys(member)[0];
      if (key === undefined || Object.keys(member).length !== 1) throw new SyntaxError('expected one "key": value member');
      return { index, line: itemLine, key, value: member[key] };
    } catch (e) {
      const hint = jsonErrorHint((e as Error).message, options.expect === 'array' ? text : `{${text}}`);
      // The hint's "line L" is within the element: say the file's line.
      const at = /line (\d+), column (\d+)/.exec(hint);
      const where = at ? hint.replace(/at line \d+, column \d+/, `at line ${itemLine + Number(at[1]) - 1}, column ${at[2]}`) : `${hint} (in ${noun} ${index}, from line ${itemLine})`;
      throw badFile(file, undefined, `invalid JSON: ${where}`);
    }
  };

  for await (const chunk of chunks) {
    let itemStart = -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (state === 'start' && bom >= 0 && bom < 3 && c === [0xef, 0xbb, 0xbf][bom]) {
        bom++;
        continue;
      }
      bom = -1;
      if (c === 0x0a) line++;
      if (state === 'item' || state === 'wrong') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x5b || c === 0x7b) depth++;
        else if (c === 0x5d || c === 0x7d) {
          depth--;
          if (state === 'item' && depth === 0) {
            // The container itself closed: the element ended just before.
            parts.push(chunk.subarray(itemStart < 0 ? 0 : itemStart, i));
            const bytes = Buffer.concat(parts);
            parts = [];
            partBytes = 0;
            itemStart = -1;
            // "[1, ]" or "[1 }": what JSON.parse of the whole file would have refused.
            if (c !== close || !bytes.toString('utf8').trim()) throw badFile(file, undefined, `invalid JSON: unexpected "${String.fromCharCode(c)}" at line ${line}`);
            yield parseItem(bytes);
            state = 'end';
          }
        } else if (c === 0x2c && state === 'item' && depth === 1) {
          parts.push(chunk.subarray(itemStart < 0 ? 0 : itemStart, i));
          const bytes = Buffer.concat(parts);
          parts = [];
          partBytes = 0;
          itemStart = -1;
          yield parseItem(bytes);
          state = 'between';
        }
        continue;
      }
      if (WS[c]) continue;
      if (state === 'start') {
        if (c === open) {
          state = 'between';
          depth = 1;
          continue;
        }
        // Not the container this format is: read it whole (bounded) to say what it is.
        state = 'wrong';
        depth = c === 0x5b || c === 0x7b ? 1 : 0;
        if (c === 0x22) inString = true;
        itemStart = i;
        itemLine = line;
        continue;
      }
      if (state === 'between') {
        if (c === close && index === 0) {
          state = 'end';
          continue;
        }
        state = 'item';
        itemStart = i;
        itemLine = line;
        i--; // the element's first byte is scanned again, as part of it (never a newline)
        continue;
      }
      if (state === 'end') throw badFile(file, undefined, `invalid JSON: unexpected content after the end of the document at line ${line}`);
    }
    if (state === 'item' || state === 'wrong') {
      if (itemStart >= 0 || parts.length) {
        const piece = chunk.subarray(itemStart < 0 ? 0 : itemStart);
        parts.push(piece);
        partBytes += piece.length;
      }
      if (partBytes > maxItem) throw badFile(file, undefined, `${noun} ${index + 1} (from line ${itemLine}) is larger than ${maxItem} bytes`);
    }
  }
  if (state === 'wrong') {
    const text = Buffer.concat(parts).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const msg = jsonErrorHint((e as Error).message, text);
      throw badFile(file, undefined, `invalid JSON: ${msg}${/Unexpected end|Unterminated/i.test(msg) ? ' (the file looks truncated)' : ''}`);
    }
    throw badFile(file, undefined, options.wrongTop(value));
  }
  if (state === 'start') throw badFile(file, undefined, 'is empty: no JSON found');
  if (state !== 'end') throw truncated(file, line, state === 'item' ? `${noun} ${index + 1}` : options.expect === 'array' ? 'the array' : 'the object');
}
