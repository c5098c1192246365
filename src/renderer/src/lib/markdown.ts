/**
 * A small Markdown reader for the project guidelines: headings, paragraphs, lists, block quotes,
 * fenced code, rules; emphasis, strong, code spans and links. It returns a tree, never HTML: the
 * view renders the tree with Svelte's escaping text nodes, so no text of the guidelines can ever
 * become markup (a `<script>` stays the characters `<script>`), and no `{@html}` is needed under
 * the strict CSP. Raw HTML is not a feature. A link keeps its target only when it is an absolute
 * http(s) URL; any other (`javascript:`, `data:`, relative) is shown as the text it was typed as.
 * No Markdown library is in the dependencies, and this subset is what coding guidelines use.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'quote'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

/** The URL as an absolute http(s) address, or null: the only links the guidelines may hold. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const BLANK = /^[ \t]*$/;

/** Reads Markdown source into blocks. Any input is accepted; what is not Markdown stays text. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const startsBlock = (line: string): boolean => HEADING.test(line) || FENCE.test(line) || RULE.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line);
  while (i < lines.length) {
    const line = lines[i]!;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(marker)) body.push(lines[i++]!);
      i++; // the closing fence (or the end of the text)
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6, children: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ kind: 'quote', children: parseInline(body.join('\n')) });
      continue;
    }
    const ordered = ORDERED.test(line);
    if (ordered || BULLET.test(line)) {
      const pattern = ordered ? ORDERED : BULLET;
      const start = ordered ? Number(ORDERED.exec(line)![1]) : 1;
      const items: string[] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const item = pattern.exec(l);
        if (item) items.push(item[ordered ? 2 : 1]!);
        // An indented line continues the item above (a wrapped sentence).
        else if (!BLANK.test(l) && /^[ \t]{2,}/.test(l) && items.length) items[items.length - 1] += `\n${l.trim()}`;
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered, start, items: items.map((t) => parseInline(t)) });
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && !BLANK.test(lines[i]!) && (body.length === 0 || !startsBlock(lines[i]!))) body.push(lines[i++]!.trim());
    blocks.push({ kind: 'paragraph', children: parseInline(body.join('\n')) });
  }
  return blocks;
}

const ESCAPABLE = new Set('\\`*_[]()#+-.!>~|{}'.split(''));
/** Emphasis nested deeper than this is read as text: the reader's recursion stays bounded on any input. */
const MAX_DEPTH = 6;

/** Reads one paragraph's inline Markdown. Line breaks inside it become spaces, as in Markdown. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf) out.push({ kind: 'text', text: buf.replace(/[ \t]*\n[ \t]*/g, ' ') });
    buf = '';
  };
  const push = (node: Inline): void => {
    flush();
    out.push(node);
  };
  // A delimiter that found no closer once finds none later either (closers only lie to the
  // right): remembering that keeps a paragraph of 100,000 asterisks linear, not quadratic.
  const unclosed = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.has(text[i + 1]!)) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = unclosed.has(fence) ? -1 : text.indexOf(fence, i + run);
      if (close < 0) {
        unclosed.add(fence);
        buf += fence;
        i += run;
        continue;
      }
      push({ kind: 'code', text: text.slice(i + run, close).replace(/\n/g, ' ') });
      i = close + run;
      continue;
    }
    if (c === '[' && depth < MAX_DEPTH) {
      const link = readLink(text, i);
      if (link) {
        const href = safeHref(link.url);
        if (href) push({ kind: 'link', href, children: parseInline(link.label, depth + 1).filter((n) => n.kind !== 'link') });
        // Not a web address (javascript:, data:, a relative path): shown as typed, never followed.
        else buf += text.slice(i, link.end);
        i = link.end;
        continue;
      }
    }
    if ((c === '*' || c === '_') && depth < MAX_DEPTH) {
      const double = text[i + 1] === c;
      const delim = double ? c + c : c;
      const opensWord = i + delim.length < text.length && !/\s/.test(text[i + delim.length]!);
      // `_` inside a word (snake_case, ICD_10) is a character, not emphasis.
      const intraword = c === '_' && i > 0 && /[\p{L}\p{N}]/u.test(text[i - 1]!);
      if (opensWord && !intraword && !unclosed.has(delim)) {
        const close = findCloser(text, i + delim.length, delim);
        if (close < 0) unclosed.add(delim);
        else {
          push({ kind: double ? 'strong' : 'em', children: parseInline(text.slice(i + delim.length, close), depth + 1) });
          i = close + delim.length;
          continue;
        }
      }
      buf += delim;
      i += delim.length;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

/** `[label](url)` at `at`: its label, url and the index after it; null when it is not one. */
function readLink(text: string, at: number): { label: string; url: string; end: number } | null {
  let level = 0;
  let j = at;
  for (; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '[') level++;
    else if (ch === ']' && --level === 0) break;
    else if (ch === '\n' && text[j + 1] === '\n') return null;
  }
  if (j >= text.length || text[j + 1] !== '(') return null;
  const close = text.indexOf(')', j + 2);
  if (close < 0) return null;
  const url = text.slice(j + 2, close).trim();
  if (url === '' || /\s/.test(url)) return null;
  return { label: text.slice(at + 1, j), url, end: close + 1 };
}

/** The next `delim` at or after `from` that can close emphasis (not after a space), or −1. */
function findCloser(text: string, from: number, delim: string): number {
  let at = text.indexOf(delim, from);
  while (at >= 0) {
    const single = delim.length === 1;
    // A single `*` must not be half of a `**` (that one closes strong, not this em).
    const partOfDouble = single && (text[at + 1] === delim || text[at - 1] === delim);
    const afterSpace = /\s/.test(text[at - 1] ?? ' ');
    const intraword = delim[0] === '_' && /[\p{L}\p{N}]/u.test(text[at + delim.length] ?? '');
    if (at > from && !afterSpace && !partOfDouble && !intraword) return at;
    at = text.indexOf(delim, at + (partOfDouble ? 2 : 1));
  }
  return -1;
}
