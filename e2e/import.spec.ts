import { writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';

test('imports a small file through the UI and the counts change', async ({ page, planter }, info) => {
  const projectId = await planter.newProject('import');
  const file = info.outputPath('small.jsonl');
  writeFileSync(
    file,
    [
      { id: 'a1', text: 'Patient with essential hypertension.', labels: ['I10'] },
      { id: 'a2', text: 'Type 2 diabetes without complications.', labels: ['E11.9'] },
      { id: 'a3', text: 'Fever and pain.', labels: ['R50.9', 'R52'] },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E import/ }).click();
  await expect(page.getByTestId('stat-documents')).toContainText('0');
  await page.getByLabel('File to import').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 3 documents, 4 label assignments');
  await expect(page.getByTestId('stat-documents')).toContainText('3');
  await expect(page.getByTestId('stat-documents')).toContainText('train 3');
  const stats = await planter.call('projects.stats', { projectId });
  expect(stats.documents.total).toBe(3);
  expect(stats.labels.flagged).toBe(4); // no catalogue yet: every code is created and flagged
  await planter.shot('import-success');
});

test('shows a specific error for a bad file and imports nothing', async ({ page, planter }, info) => {
  const projectId = await planter.newProject('bad');
  const file = info.outputPath('bad.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 'ok', text: 'fine', labels: ['A'] })}\n{"id": "cut", "text": "truncat\n`);
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E bad/ }).click();
  await page.getByLabel('File to import').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('nothing was imported');
  await expect(alert).toContainText('bad.jsonl line 2');
  await expect(alert).toContainText('invalid JSON');
  const stats = await planter.call('projects.stats', { projectId });
  expect(stats.documents.total).toBe(0);
  await planter.shot('import-error');
});

test('a field error names the field in the app’s words, keeps the chosen file, and a fixed mapping imports it', async ({ page, planter }, info) => {
  const projectId = await planter.newProject('fields');
  const file = info.outputPath('notes.jsonl');
  writeFileSync(file, [{ id: 'n1', body: 'Fever.', labels: ['R50.9'] }, { id: 'n2', body: 'Cough.', labels: [] }].map((r) => JSON.stringify(r)).join('\n'));
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E fields/ }).click();
  await page.getByLabel('File to import').setInputFiles(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('notes.jsonl line 1: has no field "text" (the text field); the fields are: id, body, labels');
  // Issue #14: the app quoted a command-line flag ("(--text-field)") and cleared the chosen file.
  await expect(alert).not.toContainText('--');
  expect(await page.getByLabel('File to import').evaluate((el) => (el as unknown as { files: { length: number } | null }).files?.length ?? 0)).toBe(1);
  await page.getByLabel('Text field').fill('body');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 2 documents, 1 label assignments');
  expect((await planter.call('projects.stats', { projectId })).documents.total).toBe(2);
});
