import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test, type Planter } from './fixtures';

/**
 * Evidence spans (issue #17) on the bundled demo: add a label through the picker, select a word of
 * the document with the mouse, attach it to that label, see the highlight with its code, see it
 * again after a reload, undo and redo it with u / Shift+U, and find it in the JSONL export.
 */
test('select a span, attach it to a label, see it after reload, export it', async ({ page, planter }) => {
  test.setTimeout(5 * 60_000);
  const { section, docId } = await openWithR52(page, planter);

  // Double-click the first word of a paragraph that starts with a word of four letters or more:
  // each paragraph's text is an element carrying its document offset (data-o).
  const doc = await planter.call('documents.get', { projectId: 'demo', docId });
  let offset = 0;
  let found: { start: number; text: string } | null = null;
  for (const para of doc.text.split('\n')) {
    const m = /^\p{L}{4,}/u.exec(para);
    if (m) {
      found = { start: offset, text: m[0] };
      break;
    }
    offset += para.length + 1;
  }
  expect(found, 'a paragraph that starts with a word').not.toBeNull();
  const word = { index: found!.start, 0: found!.text };
  await page.locator(`.doc-text [data-o="${word.index}"]`).dblclick({ position: { x: 4, y: 10 } });
  const bar = page.getByTestId('span-bar');
  await expect(bar).toContainText(word[0]);
  await planter.shot('span-selected');
  await bar.getByRole('button', { name: 'R52' }).click();

  const highlight = page.locator('.doc-text [data-code="R52"]');
  await expect(highlight).toHaveText(word[0]);
  const list = page.getByRole('region', { name: 'Evidence spans' });
  await expect(list).toContainText(word[0]);
  await planter.shot('span-attached');
  const stored = await planter.call('spans.list', { projectId: 'demo', docId });
  expect(stored.spans.map((s) => [s.code, s.start, s.end, s.text, s.source])).toEqual([['R52', word.index, word.index + word[0].length, word[0], 'added']]);

  // Undo takes the span away, redo brings it back: the same history as label decisions.
  await page.keyboard.press('u');
  await expect(highlight).toHaveCount(0);
  await page.keyboard.press('Shift+U');
  await expect(highlight).toHaveText(word[0]);

  // After a reload the span is still there, on its document.
  await page.reload();
  await planter.open();
  await page.keyboard.press('Alt+3');
  await expect(section).toHaveAttribute('data-doc', /\d+/, { timeout: 60_000 });
  // The queue ranks annotated documents elsewhere: find this one by its longest words, and open it.
  await page.locator('#queue-strategy').selectOption('search');
  await page.getByRole('searchbox', { name: 'Search documents' }).fill([...new Set(doc.text.match(/\p{L}{4,}/gu))].sort((a, b) => b.length - a.length).slice(0, 6).join(' '));
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('list', { name: 'Documents in the queue' }).getByRole('button', { name: doc.extId }).click();
  await expect(section).toHaveAttribute('data-doc', String(docId));
  await expect(page.locator('.doc-text [data-code="R52"]')).toHaveText(word[0]);

  // The JSONL export carries it.
  const { jobId } = await planter.call('exports.annotations', { projectId: 'demo', format: 'jsonl', destination: { name: 'e2e-spans' }, annotatedOnly: true });
  await expect.poll(async () => (await planter.call('jobs.get', { jobId })).finished?.outcome, { timeout: 60_000 }).toBe('done');
  const rows = readFileSync(join(planter.projectDir('demo'), 'exports', 'e2e-spans.jsonl'), 'utf8').trim().split('\n');
  const line = rows.map((l) => JSON.parse(l) as { id: string; spans?: unknown[] }).find((r) => r.id === doc.extId);
  expect(line?.spans).toEqual([{ label: 'R52', start: word.index, end: word.index + word[0].length, text: word[0] }]);
});

/**
 * The same by keyboard only: w puts a word cursor on the document (no caret browsing needed),
 * Shift+→ extends it by a word, Enter opens the attach bar on the first label, Enter attaches.
 */
test('select a span by keyboard only and attach it', async ({ page, planter }) => {
  test.setTimeout(5 * 60_000);
  const { docId } = await openWithR52(page, planter);

  await page.keyboard.press('w');
  await expect(page.getByTestId('word-cursor')).toBeVisible();
  const bar = page.getByTestId('span-bar');
  await expect(bar).toBeVisible();
  const one = (await bar.locator('q').textContent()) ?? '';
  await page.keyboard.press('Shift+ArrowRight');
  await expect(bar.locator('q')).not.toHaveText(one);
  const two = (await bar.locator('q').textContent()) ?? '';
  expect(two.startsWith(one)).toBe(true);
  expect(two.trim().split(/\s+/).length).toBe(2);
  await planter.shot('span-keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('word-cursor')).toBeHidden();
  await expect(bar.getByRole('button', { name: 'R52' })).toBeFocused();
  await page.keyboard.press('Enter');

  // the first spec may have left an R52 span on this same document: wait for one, check ours below
  await expect(page.locator('.doc-text [data-code="R52"]').first()).toBeVisible();
  const doc = await planter.call('documents.get', { projectId: 'demo', docId });
  // other specs share this project: find the span just attached by its text
  const stored = await planter.call('spans.list', { projectId: 'demo', docId });
  const made = stored.spans.filter((s) => s.code === 'R52' && s.text === two.trim());
  expect(made).toHaveLength(1);
  expect(doc.text.slice(made[0]!.start, made[0]!.end)).toBe(two.trim());
  expect(made[0]!.source).toBe('added');
});

/** Opens Annotate on the demo's first queued document and adds R52 to it through the picker (a label to attach evidence to). */
async function openWithR52(page: Page, planter: Planter): Promise<{ section: Locator; docId: number }> {
  await planter.open();
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 120_000 });
  await page.keyboard.press('Alt+3');
  const section = page.getByRole('region', { name: 'Annotate' });
  await expect(section).toHaveAttribute('data-doc', /\d+/, { timeout: 60_000 });
  const docId = Number(await section.getAttribute('data-doc'));
  await page.keyboard.press('/');
  const picker = page.getByRole('dialog', { name: 'Label picker' });
  await expect(picker.getByRole('combobox', { name: 'Search labels' })).toHaveAttribute('placeholder', /labels/, { timeout: 120_000 });
  await page.keyboard.type('r52');
  await expect(picker.getByRole('listbox', { name: 'Labels' })).toHaveAttribute('data-query', 'r52');
  await expect(picker.getByRole('option').first()).toContainText('R52');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(page.getByRole('listbox', { name: /On this document/ })).toContainText('R52');
  return { section, docId };
}
