import { MATCH_END, MATCH_START } from '../../../shared/contract';

/**
 * A search excerpt cut into plain and matched parts (the main side wraps matches in the
 * contract's MATCH_START … MATCH_END): the queue shows the matches highlighted, and the markers
 * never reach the screen. An unclosed marker runs to the end; a stray end marker is dropped.
 */
export function markedParts(text: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  let match = false;
  let buf = '';
  const flush = (): void => {
    if (buf) out.push({ text: buf, match });
    buf = '';
  };
  for (const ch of text) {
    if (ch === MATCH_START && !match) {
      flush();
      match = true;
    } else if (ch === MATCH_END) {
      if (match) {
        flush();
        match = false;
      }
    } else if (ch !== MATCH_START) buf += ch;
  }
  flush();
  return out;
}
