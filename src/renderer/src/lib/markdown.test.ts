import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import MarkdownView from '../components/MarkdownView.svelte';
import { parseInline, parseMarkdown, safeHref } from './markdown';

const html = (source: string): string => render(MarkdownView, { props: { source } }).body.replace(/<!--[^>]*-->/g, '');

describe('parseMarkdown blocks', () => {
  it('reads headings, paragraphs, lists, quotes, code and rules', () => {
    const blocks = parseMarkdown('# Rules\n\nCode what is\nconfirmed.\n\n- one\n- two\n  wrapped\n\n3. third\n4. fourth\n\n> quoted\n\n```\n<b>raw</b>\n```\n\n---');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, children: [{ kind: 'text', text: 'Rules' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'Code what is confirmed.' }] },
      { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two wrapped' }]] },
      { kind: 'list', ordered: true, start: 3, items: [[{ kind: 'text', text: 'third' }], [{ kind: 'text', text: 'fourth' }]] },
      { kind: 'quote', children: [{ kind: 'text', text: 'quoted' }] },
      { kind: 'code', text: '<b>raw</b>' },
      { kind: 'rule' },
    ]);
  });

  it('an unclosed fence runs to the end; "#tag" without a space is text', () => {
    expect(parseMarkdown('```\ncode')).toEqual([{ kind: 'code', text: 'code' }]);
    expect(parseMarkdown('#tag')).toEqual([{ kind: 'paragraph', children: [{ kind: 'text', text: '#tag' }] }]);
  });
});

describe('parseInline', () => {
  it('reads emphasis, strong, code and links, nested', () => {
    expect(parseInline('a *b* **c _d_** `e*f*` [g **h**](https://example.org/x)')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'em', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'c ' }, { kind: 'em', children: [{ kind: 'text', text: 'd' }] }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'e*f*' },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: 'https://example.org/x', children: [{ kind: 'text', text: 'g ' }, { kind: 'strong', children: [{ kind: 'text', text: 'h' }] }] },
    ]);
  });

  it('leaves snake_case, lone asterisks and escapes as text', () => {
    expect(parseInline('ICD_10_CM and 2 * 3 and \\*not em\\*')).toEqual([{ kind: 'text', text: 'ICD_10_CM and 2 * 3 and *not em*' }]);
  });

  it('stays fast on pathological input (no quadratic scan)', () => {
    const started = performance.now();
    parseInline('*a '.repeat(30_000) + '`'.repeat(10) + '['.repeat(2_000));
    // Generous: a quadratic reader takes minutes here; the linear one a few ms.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('safeHref', () => {
  it('keeps absolute http(s) URLs only', () => {
    expect(safeHref('https://icd.who.int/browse10')).toBe('https://icd.who.int/browse10');
    expect(safeHref('http://example.org')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', '/relative', '//evil.example/x', 'mailto:a@b.c']) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});

describe('MarkdownView renders safely (server-rendered HTML)', () => {
  it('renders the Markdown as elements', () => {
    const out = html('# Rules\n\n- **Confirmed** only\n\nSee [the manual](https://example.org/m).');
    expect(out).toContain('<h2>Rules</h2>');
    expect(out).toContain('<li><strong>Confirmed</strong> only</li>');
    expect(out).toContain('<a href="https://example.org/m" target="_blank" rel="noopener noreferrer">the manual</a>');
  });

  it('never lets HTML in the source through', () => {
    const out = html('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n**<iframe src="https://evil.example">**\n\n```\n</code></pre><script>alert(2)</script>\n```');
    expect(out).not.toMatch(/<script|<img|<iframe/i);
    expect(out).toContain('&lt;script>alert(1)&lt;/script>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('shows a javascript: or data: link as text, never as a link', () => {
    const out = html('[click](javascript:alert(1)) [x](data:text/html;base64,PHNjcmlwdD4=) [y](JAVASCRIPT:alert(1))');
    expect(out).not.toContain('<a');
    expect(out).toContain('[click](javascript:alert(1))');
  });

  it('keeps attribute injection inside the href', () => {
    const out = html('[x](https://example.org/"onmouseover="alert(1)) [y](https://example.org/?q=\'><script>alert(1)</script>)');
    expect(out).not.toMatch(/<script|\sonmouseover=/i);
    const hrefs = [...out.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    // Both are web addresses: kept, with the quote and brackets percent-encoded by URL, never raw.
    expect(hrefs).toEqual(['https://example.org/%22onmouseover=%22alert(1', 'https://example.org/?q=%27%3E%3Cscript%3Ealert(1']);
  });
});
