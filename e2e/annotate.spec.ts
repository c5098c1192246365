import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type Planter } from './fixtures';

/**
 * The whole loop of issue #6 on the bundled demo, by keyboard: annotate five documents (accept a
 * suggestion, reject one, add one through the picker, undo one), retrain with one click, see the
 * progress and the refreshed suggestions, evaluate, export the model and check the files load in
 * onnxruntime-node.
 *
 * The first model is trained through the API with small settings, so the UI's one-click retrain
 * (the few-shot loop, which reuses the current model's settings) takes about a minute on a CI CPU.
 */
const FAST = { pretrain: false, dim: 32, maxLen: 128, batchSize: 32, sampledLabels: 256, epochs: { pretrain: 0, l2r: 1, finetune: 3 } };

async function waitForJob(planter: Planter, jobId: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await planter.call('jobs.get', { jobId });
    if (job.finished) {
      expect(job.finished.outcome, JSON.stringify(job.finished.error)).toBe('done');
      return;
    }
    if (Date.now() > until) throw new Error(`job ${jobId} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const suggestionRows = (page: Page) => page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
const documentLabels = (page: Page) => page.getByRole('listbox', { name: /On this document/ });

async function openDemo(page: Page, planter: Planter): Promise<void> {
  await planter.open();
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 120_000 });
}

test('the annotation loop: five documents by keyboard, one-click retrain, evaluate, export', async ({ page, planter }) => {
  test.setTimeout(20 * 60_000);
  await openDemo(page, planter);
  const first = await planter.call('training.start', { projectId: 'demo', mode: 'full', settings: FAST });
  await waitForJob(planter, first.jobId, 10 * 60_000);

  await page.keyboard.press('Alt+3');
  const section = page.getByRole('region', { name: 'Annotate' });
  await expect(section).toBeVisible();
  await expect(suggestionRows(page).first()).toBeVisible({ timeout: 60_000 });
  const docId = async (): Promise<string> => (await section.getAttribute('data-doc')) ?? '';
  const annotated: string[] = [];

  // 1. Accept the top suggestion (a), then done (d).
  let doc = await docId();
  const top = (await suggestionRows(page).first().getAttribute('data-code'))!;
  await page.keyboard.press('a');
  await expect(documentLabels(page)).toContainText(top);
  await planter.shot('annotate');
  annotated.push(doc);
  await page.keyboard.press('d');
  await expect.poll(docId).not.toBe(doc);

  // 2. Reject the second suggestion (j, r).
  doc = await docId();
  await expect(suggestionRows(page).first()).toBeVisible();
  const second = (await suggestionRows(page).nth(1).getAttribute('data-code'))!;
  await page.keyboard.press('j');
  await page.keyboard.press('r');
  await expect(page.getByRole('listbox', { name: /Rejected/ })).toContainText(second);
  annotated.push(doc);
  await page.keyboard.press('d');
  await expect.poll(docId).not.toBe(doc);

  // 3. Add a label the model missed through the picker (/, type, Enter).
  doc = await docId();
  await page.keyboard.press('/');
  const picker = page.getByRole('dialog', { name: 'Label picker' });
  await expect(picker).toBeVisible();
  await page.keyboard.type('r52');
  await expect(picker.getByRole('listbox', { name: 'Labels' })).toHaveAttribute('data-query', 'r52');
  await expect(picker.getByRole('option').first()).toContainText('R52');
  await planter.shot('picker');
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(documentLabels(page)).toContainText('R52');
  annotated.push(doc);
  await page.keyboard.press('d');
  await expect.poll(docId).not.toBe(doc);

  // 4. Accept, then undo it (u): the label is gone again and the status line says what was undone.
  doc = await docId();
  await expect(suggestionRows(page).first()).toBeVisible();
  const undone = (await suggestionRows(page).first().getAttribute('data-code'))!;
  await page.keyboard.press('a');
  await expect(documentLabels(page)).toContainText(undone);
  await page.keyboard.press('u');
  await expect(page.getByRole('region', { name: 'Annotate' }).getByRole('status')).toContainText(`Undid: accept ${undone}`);
  await expect(documentLabels(page)).not.toContainText(undone);
  await page.keyboard.press('k'); // the cursor stays usable after undo
  await page.keyboard.press('a');
  annotated.push(doc);
  await page.keyboard.press('d');
  await expect.poll(docId).not.toBe(doc);

  // 5. One more accept, by number (the second suggestion; Prodigy's habit), done. The selection
  //    lands on what was accepted, and the status line says so.
  doc = await docId();
  await expect(suggestionRows(page).first()).toBeVisible();
  const byNumber = (await suggestionRows(page).nth(1).getAttribute('data-code'))!;
  await page.keyboard.press('2');
  await expect(documentLabels(page)).toContainText(byNumber);
  await expect(suggestionRows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(section.getByRole('status')).toContainText(`Accepted ${byNumber}; the selection stays on it`);
  annotated.push(doc);
  await page.keyboard.press('d');
  await expect.poll(docId).not.toBe(doc);

  // The five documents are done and carry what was decided (checked on the main side).
  for (const id of annotated) {
    const d = await planter.call('documents.get', { projectId: 'demo', docId: Number(id) });
    expect(d.status).toBe('done');
  }
  const third = await planter.call('documents.get', { projectId: 'demo', docId: Number(annotated[2]) });
  expect(third.labels.find((l) => l.code === 'R52')).toMatchObject({ present: true, source: 'annotator' });
  const second2 = await planter.call('documents.get', { projectId: 'demo', docId: Number(annotated[1]) });
  expect(second2.labels.find((l) => l.code === second)).toMatchObject({ present: false, source: 'annotator' });
  const history = await planter.call('annotations.history', { projectId: 'demo', limit: 50 });
  expect(history.events.some((e) => e.undone && e.action === 'accept' && e.code === undone)).toBe(true);

  // The help overlay lists the keys.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard' });
  await expect(help).toContainText('Reject it');
  await expect(help).toContainText('After accept or reject');
  await expect(help).toContainText('The selection stays on the label you decided');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Retrain with one click; progress shows; annotation goes on meanwhile; the toast brings the new model.
  const modelsBefore = (await planter.call('models.list', { projectId: 'demo' })).models.length;
  await page.keyboard.press('Alt+4');
  await page.getByRole('button', { name: 'Retrain now' }).click();
  await expect(page.getByRole('progressbar').first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Stages' })).toBeVisible();
  await planter.shot('train');
  await page.keyboard.press('Alt+3');
  await page.keyboard.press('n'); // the UI stays responsive while training runs
  // The first model's toast may still be up: wait for the new model, then for its own toast.
  // A retrain records two models: the refreshed lexical ranker serves first (with the previous
  // attention), the fused model when the job ends; the toast names the one serving at the end.
  await expect.poll(async () => (await planter.call('jobs.list', {})).jobs.some((j) => (j.kind === 'retrain' || j.kind === 'train') && !j.finished), { timeout: 10 * 60_000, intervals: [1000] }).toBe(false);
  expect((await planter.call('models.list', { projectId: 'demo' })).models.length).toBeGreaterThan(modelsBefore);
  const models = (await planter.call('models.list', { projectId: 'demo' })).models;
  const current = models.find((m) => m.current)!;
  // A worse model is kept without becoming current (issue #14): the toast then says so instead.
  const newest = models[0]!;
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(newest.current ? `Model #${newest.id} is ready — suggestions refreshed` : `Model #${newest.id} kept, not made current`);
  // The toast must not cover the Labels panel's "+ Add label" (issue #14).
  const toastBox = await page.getByRole('region', { name: 'Notifications' }).locator('.toast').first().boundingBox();
  const addBox = await page.getByRole('button', { name: /\+ Add label/ }).boundingBox();
  expect(toastBox && addBox).toBeTruthy();
  const overlaps = (a: NonNullable<typeof toastBox>, b: NonNullable<typeof addBox>): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  expect(overlaps(toastBox!, addBox!)).toBe(false);
  await expect(page.getByRole('complementary', { name: 'Labels' })).toContainText(`model #${current.id}`);
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('status').filter({ hasText: /Finished in/ })).toBeVisible();
  await planter.shot('train-finished');

  // Evaluate: overall metrics, buckets, the per-label table.
  await page.keyboard.press('Alt+5');
  await expect(page.getByTestId('metric-p@5')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Per-label metrics' }).getByRole('row').nth(1)).toBeVisible();
  await planter.shot('evaluate');

  // Export the model bundle: the files exist and the ONNX model loads in onnxruntime-node.
  await page.keyboard.press('Alt+6');
  await page.getByRole('button', { name: 'Export model' }).click();
  const done = page.getByRole('status').filter({ hasText: /exported to/ });
  await expect(done).toBeVisible({ timeout: 120_000 });
  await planter.shot('export');
  // Named relative to the project, never by the server's absolute path (issue #15).
  const shown = (await done.locator('code').textContent())!.trim();
  expect(shown).toMatch(/^exports\/[^/]+$/);
  const folder = join(planter.projectDir('demo'), shown);
  expect(existsSync(folder)).toBe(true);
  const files = await done.getByRole('listitem').allTextContents();
  const onnx = files.find((f) => f.endsWith('.onnx'));
  expect(onnx, `files: ${files.join(', ')}`).toBeTruthy();
  for (const f of files) expect(existsSync(join(folder, f)), f).toBe(true);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(join(folder, onnx!));
  expect(session.inputNames.length).toBeGreaterThan(0);
  await session.release?.();

  // Annotations too.
  await page.getByRole('button', { name: 'Export annotations' }).click();
  const wrote = page.getByRole('status').filter({ hasText: /Wrote .* documents/ });
  await expect(wrote).toBeVisible();
  const annotationsFile = (await wrote.locator('code').textContent())!.trim();
  expect(annotationsFile).toMatch(/^exports\/annotations\.jsonl$/);
  expect(existsSync(join(planter.projectDir('demo'), annotationsFile))).toBe(true);

  // Only what the coder worked on, as CSV with the rejections column (issue #14 bug 9).
  await page.getByLabel('Format').selectOption('csv');
  await page.getByLabel('Only documents a coder finished or labelled').check();
  await page.getByLabel('File name').fill('worked-on');
  await page.getByRole('button', { name: 'Export annotations' }).click();
  const wroteCsv = page.getByRole('status').filter({ hasText: /worked-on\.csv/ });
  await expect(wroteCsv).toBeVisible();
  const csv = readFileSync(join(planter.projectDir('demo'), 'exports', 'worked-on.csv'), 'utf8');
  expect(csv.split('\n')[0]).toBe('id,split,status,labels,rejected,provenance,text');
  const doneDocs = (await planter.call('documents.list', { projectId: 'demo', status: 'done', limit: 1 })).total;
  const rows = Number(/Wrote (\d+) documents/.exec((await wroteCsv.textContent()) ?? '')?.[1]);
  expect(rows).toBeGreaterThanOrEqual(doneDocs);
  expect(rows).toBeLessThan(100); // not the demo's 3,501 documents
});
