import { writeFileSync } from 'node:fs';
import { demoLines } from './demo-lines';
import type { Page } from '@playwright/test';
import { expect, test, type Planter } from './fixtures';

/**
 * Issue #17 by keyboard and mouse on a small project, without a model: the annotator name asked
 * at first start, "label similar documents" (b) with a preview whose rows can be unticked, "mark
 * the queue's set" (Shift+B) after a confirmation, each undone in one step (u), and the
 * per-annotator panel; each label's provenance line in the panel. The second test trains a model
 * for Shift+A (accept every suggestion above its threshold), which is one undo step too.
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

/** Opens the app, answering the first start's name dialog by keyboard; the annotator name. */
async function openApp(page: Page, planter: Planter): Promise<string> {
  await planter.open();
  const dialog = page.getByRole('dialog', { name: 'Annotator name' });
  // A fresh data folder asks who is annotating; answer by keyboard.
  if (await dialog.isVisible()) {
    await dialog.getByRole('textbox').fill('E2E Coder');
    await dialog.getByRole('textbox').press('Enter');
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByRole('button', { name: /^Annotator: / })).toBeVisible();
  return (await page.getByRole('button', { name: /^Annotator: / }).textContent())!.replace('Annotator:', '').trim();
}

const documentLabels = (page: Page) => page.getByRole('listbox', { name: /On this document/ });

async function openProject(page: Page, planter: Planter, file: string): Promise<void> {
  await openApp(page, planter);
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
  // Provenance (issue #17): the imported label says who ran the import, and when (exact time on hover).
  const importedRow = documentLabels(page).getByRole('option').filter({ hasText: code });
  await expect(importedRow.locator('[data-how="imported"]')).toContainText(`imported by ${name}`);
  await expect(importedRow.locator('time')).toHaveAttribute('title', /\d{2}:\d{2}:\d{2}/);
  expect(open.labels[0]!.provenance).toMatchObject({ how: 'imported', who: name, score: null });
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


const FAST = { pretrain: false, dim: 32, maxLen: 128, batchSize: 32, sampledLabels: 256, epochs: { pretrain: 0, l2r: 1, finetune: 3 } };

test('Shift+A accepts every suggestion above its threshold as one undo step; each shows its provenance', async ({ page, planter }, info) => {
  test.setTimeout(10 * 60_000);
  const projectId = await planter.newProject('accept all');
  const name = await openApp(page, planter);
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E accept all/ }).click();
  // A small project cut from the demo: enough for the keyword ranker to suggest codes above threshold.
  for (const [file, split, n] of [['codiesp-train.jsonl.gz', 'train', 200], ['codiesp-dev.jsonl.gz', 'dev', 100], ['codiesp-pool.jsonl.gz', 'pool', 20]] as const) {
    const path = info.outputPath(`${split}.jsonl`);
    writeFileSync(path, demoLines(file, n));
    await page.getByRole('radio', { name: 'Documents' }).check();
    await page.getByLabel('File to import').setInputFiles(path);
    await page.getByLabel('Split').fill(split);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(`Imported ${n} documents`);
  }

  // The fast model: the run's keyword ranker is recorded and serves seconds into the run; the
  // attention stages are not needed here, so the run is cancelled once it serves.
  const { jobId } = await planter.call('training.start', { projectId, mode: 'full', settings: FAST });
  await expect.poll(async () => (await planter.call('models.list', { projectId })).models.some((m) => m.current), { timeout: 5 * 60_000, intervals: [1000] }).toBe(true);
  await planter.call('jobs.cancel', { jobId });
  await expect.poll(async () => Boolean((await planter.call('jobs.get', { jobId })).finished), { timeout: 120_000 }).toBe(true);

  // The pool document with the most suggestions above threshold (the UI asks for the top 15, as here).
  const pool = (await planter.call('documents.list', { projectId, split: 'pool', limit: 50 })).items;
  let target = { docId: 0, codes: [] as string[], scores: new Map<string, number>() };
  for (const d of pool) {
    const { labels } = await planter.call('suggestions.get', { projectId, docId: d.id, top: 15 });
    const above = labels.filter((l) => l.assigned);
    if (above.length > target.codes.length) target = { docId: d.id, codes: above.map((l) => l.code), scores: new Map(above.map((l) => [l.code, l.score])) };
  }
  expect(target.codes.length, 'a pool document with a suggestion above threshold').toBeGreaterThan(0);

  await page.keyboard.press('Alt+3');
  const section = page.getByRole('region', { name: 'Annotate' });
  await section.getByRole('combobox', { name: /^Split/ }).selectOption('pool');
  await expect(section).toHaveAttribute('data-doc', /\d+/);
  for (let i = 0; i < pool.length && Number(await section.getAttribute('data-doc')) !== target.docId; i++) {
    const before = await section.getAttribute('data-doc');
    await page.keyboard.press('n');
    await expect(section).not.toHaveAttribute('data-doc', before!);
  }
  await expect(section).toHaveAttribute('data-doc', String(target.docId));
  const suggestions = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
  await expect(suggestions.first()).toBeVisible({ timeout: 60_000 });
  await expect(documentLabels(page).getByRole('option')).toHaveCount(0);

  // Shift+A: every suggestion above threshold is on the document, each saying it was an accepted suggestion, its score and who.
  await page.keyboard.press('Shift+A');
  const n = target.codes.length;
  await expect(section.getByRole('status')).toContainText(new RegExp(`accepted ${n} suggestions? above threshold`, 'i'));
  await expect(documentLabels(page).getByRole('option')).toHaveCount(n);
  const who = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const code of target.codes) {
    const line = documentLabels(page).locator(`[data-code="${code}"] [data-how="accepted"]`);
    await expect(line).toContainText(new RegExp(`accepted suggestion \\(score (<1|>99|\\d+) %\\) by ${who} · just now`));
    await expect(line.locator('time')).toHaveAttribute('title', /\d{2}:\d{2}:\d{2}/);
  }
  const doc = await planter.call('documents.get', { projectId, docId: target.docId });
  expect(doc.labels.map((l) => l.code).sort()).toEqual([...target.codes].sort());
  for (const l of doc.labels) {
    expect(l.provenance).toMatchObject({ how: 'accepted', who: name });
    expect(l.provenance.score).toBeCloseTo(target.scores.get(l.code)!, 6);
  }
  expect((await planter.call('annotations.history', { projectId, limit: 1 })).history.undo).toMatchObject({ action: 'accept', batchSize: n });
  await planter.shot('accept-all');

  // u: one step takes every accepted label back.
  await page.keyboard.press('u');
  await expect(section.getByRole('status')).toContainText(n > 1 ? `Undid: accept ${n} labels at once` : `Undid: accept ${target.codes[0]}`);
  await expect(documentLabels(page).getByRole('option')).toHaveCount(0);
  expect((await planter.call('documents.get', { projectId, docId: target.docId })).labels).toEqual([]);

  // A label added through the picker says so.
  const picked = target.codes[0]!;
  await page.keyboard.press('/');
  const picker = page.getByRole('dialog', { name: 'Label picker' });
  await expect(picker).toBeVisible();
  await page.keyboard.type(picked);
  await expect(picker.getByRole('option').first()).toContainText(picked);
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(documentLabels(page).locator(`[data-code="${picked}"] [data-how="added"]`)).toContainText(new RegExp(`added by hand by ${who} · just now`));
});
