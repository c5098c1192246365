import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type Planter } from './fixtures';

/**
 * Issue #17 by keyboard and mouse on a small project, without a model: the annotator name asked
 * at first start, "label similar documents" (b) with a preview whose rows can be unticked, "mark
 * the queue's set" (Shift+B) after a confirmation, each undone in one step (u), and the
 * per-annotator panel. (Shift+A, accept every suggestion above threshold, needs a trained model's
 * suggestions: its state and store are covered by unit tests, and the demo loop trains one.)
 */
// Four groups of four: the documents of a group share two distinctive words. (The similar order
// before a model is TF-IDF cosine over words in at most 30 % of the documents.)
const GROUPS = [
  ['enalapril', 'hypertension'],
  ['fracture', 'cast'],
  ['insulin', 'glycaemia'],
  ['wheeze', 'salbutamol'],
];
const DOCS = GROUPS.flatMap(([a, b], g) =>
  ['morning', 'noon', 'evening', 'night'].map((when, i) => ({ id: `p${g * 4 + i + 1}`, text: `Seen at ${when}: ${a} and ${b} noted (visit ${g * 4 + i + 1}).`, labels: [`L${g * 4 + i + 1}`] })),
);
const N = DOCS.length;

async function labelsOf(planter: Planter, projectId: string, extId: string): Promise<string[]> {
  const page = await planter.call('documents.list', { projectId, limit: 50 });
  const id = page.items.find((d) => d.extId === extId)!.id;
  const doc = await planter.call('documents.get', { projectId, docId: id });
  return doc.labels.filter((l) => l.present).map((l) => l.code);
}

/** The split's documents per status, as the queue's progress bar counts them (an import without a split field puts them in train). */
async function poolCounts(planter: Planter, projectId: string): Promise<Record<string, number>> {
  const { progress } = await planter.call('queue.next', { projectId, strategy: 'sequential', split: 'train', limit: 1 });
  return { pending: progress.pending, done: progress.done, skipped: progress.skipped, review: progress.review };
}

async function openProject(page: Page, planter: Planter, file: string): Promise<void> {
  await planter.open();
  const dialog = page.getByRole('dialog', { name: 'Annotator name' });
  // A fresh data folder asks who is annotating; answer by keyboard.
  if (await dialog.isVisible()) {
    await dialog.getByRole('textbox').fill('E2E Coder');
    await dialog.getByRole('textbox').press('Enter');
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByRole('button', { name: /^Annotator: / })).toBeVisible();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E bulk/ }).click();
  await page.getByLabel('File to import').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('stat-documents')).toContainText(String(N));
}

test('bulk actions: label similar with a preview, mark the queue, each one undo step; the annotator panel counts them', async ({ page, planter }, info) => {
  const projectId = await planter.newProject('bulk');
  const file = info.outputPath('bulk.jsonl');
  writeFileSync(file, DOCS.map((d) => JSON.stringify(d)).join('\n'));
  await openProject(page, planter, file);
  const name = (await page.getByRole('button', { name: /^Annotator: / }).textContent())!.replace('Annotator:', '').trim();

  await page.keyboard.press('Alt+3');
  const section = page.getByRole('region', { name: 'Annotate' });
  await section.getByRole('combobox', { name: /^Split/ }).selectOption('train');
  await expect(section).not.toHaveAttribute('data-doc', '');
  const docId = Number(await section.getAttribute('data-doc'));
  const open = await planter.call('documents.get', { projectId, docId });
  const code = open.labels[0]!.code;
  const others = DOCS.filter((d) => d.id !== open.extId).map((d) => d.id);
  await planter.shot('bulk-open');

  // b: the preview lists the similar documents, all ticked; untick the first, then confirm.
  await page.keyboard.press('b');
  const preview = page.getByRole('dialog', { name: new RegExp(`Add ${code} to documents similar to`) });
  await expect(preview).toBeVisible();
  const boxes = preview.getByRole('checkbox');
  await expect(boxes).not.toHaveCount(0);
  const listed = await boxes.count();
  expect(listed).toBeGreaterThanOrEqual(3); // at least the other three of its group
  const unticked = (await preview.getByRole('listitem').first().textContent())!.match(/p\d+/)![0];
  await boxes.first().uncheck();
  await preview.getByRole('button', { name: `Add ${code} to ${listed - 1} document${listed - 1 === 1 ? '' : 's'}` }).click();
  await expect(preview).toBeHidden();
  await expect(section.getByRole('status')).toContainText(new RegExp(`added ${code} to ${listed - 1} similar documents`, 'i'));
  expect(await labelsOf(planter, projectId, unticked)).not.toContain(code);
  const labelled: string[] = [];
  for (const ext of others) if ((await labelsOf(planter, projectId, ext)).includes(code)) labelled.push(ext);
  expect(labelled).toHaveLength(listed - 1);
  await planter.shot('bulk-similar');

  // u: one step takes every added label back.
  await page.keyboard.press('u');
  await expect(section.getByRole('status')).toContainText(`Undid: add ${listed - 1} labels at once`);
  for (const ext of labelled) expect(await labelsOf(planter, projectId, ext)).not.toContain(code);

  // Shift+B: the confirmation shows the count; nothing changes before it is confirmed.
  await page.keyboard.press('Shift+B');
  const confirm = page.getByRole('dialog', { name: "Mark the queue's documents" });
  await expect(confirm).toContainText(`${N} documents`);
  expect(await poolCounts(planter, projectId)).toEqual({ pending: N, done: 0, skipped: 0, review: 0 });
  await confirm.getByRole('combobox').selectOption('done');
  await confirm.getByRole('button', { name: `Mark ${N} done` }).click();
  await expect(confirm).toBeHidden();
  await expect.poll(() => poolCounts(planter, projectId)).toEqual({ pending: 0, done: N, skipped: 0, review: 0 });
  expect((await planter.call('annotations.history', { projectId, limit: 1 })).history.undo?.batchSize).toBe(N);

  await page.keyboard.press('u');
  await expect(section.getByRole('status')).toContainText(`Undid: mark ${N} documents done`);
  expect(await poolCounts(planter, projectId)).toEqual({ pending: N, done: 0, skipped: 0, review: 0 });

  // Shift+U redoes the whole batch too.
  await page.keyboard.press('Shift+U');
  await expect(section.getByRole('status')).toContainText(`Redid: mark ${N} documents done`);
  expect(await poolCounts(planter, projectId)).toEqual({ pending: 0, done: N, skipped: 0, review: 0 });

  // The overview's annotator panel: every document done, by the name chosen at first start
  // (the undone labels do not count).
  await page.keyboard.press('Alt+2');
  const row = page.getByRole('table', { name: 'Annotators' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText(String(N));
  const report = await planter.call('annotator.stats', { projectId });
  expect(report.annotators.find((a) => a.annotator === name)).toMatchObject({ decisions: N, documentsDone: N });
  await planter.shot('bulk-annotators');
});
