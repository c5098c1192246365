import { writeFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The label picker queries of issue #14 on the bundled demo (the full ICD-10-CM catalogue and the
 * demo's training counts), typed into the real picker, and the words coders used: a label a
 * coder assigns is found by the words of its document a moment later.
 */
const pickerOf = (page: Page): Locator => page.getByRole('dialog', { name: 'Label picker' });

async function search(page: Page, query: string): Promise<string[]> {
  const picker = pickerOf(page);
  await picker.getByRole('combobox', { name: 'Search labels' }).fill(query);
  await expect(picker.getByRole('listbox', { name: 'Labels' })).toHaveAttribute('data-query', query);
  return picker.getByRole('option').locator('.code').allInnerTexts();
}

test('the picker finds what coders type: abbreviations, typos, phrasings, code prefixes in a sensible order', async ({ page, planter }) => {
  await planter.open();
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 90_000 });
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('region', { name: 'Annotate' })).toBeVisible();
  await page.keyboard.press('/');
  const picker = pickerOf(page);
  // The catalogue is indexed when the placeholder counts its labels.
  await expect(picker.getByRole('combobox', { name: 'Search labels' })).toHaveAttribute('placeholder', /94,\d{3} labels/, { timeout: 120_000 });

  const heart = await search(page, 'heart attack');
  expect(heart.slice(0, 3).some((c) => c.startsWith('I21'))).toBe(true);
  await expect(picker.getByRole('option').first()).toContainText('read as heart attack → myocardial infarction');
  await planter.shot('picker-heart-attack');

  expect((await search(page, 'T2DM'))[0]).toBe('E11.9');
  await expect(picker.getByRole('option').first()).toContainText('T2DM → type 2 diabetes mellitus');

  expect((await search(page, 'diabetis'))[0]).toBe('E11.9');
  await expect(picker.getByRole('option').first()).toContainText('spelling: diabetis → diabetes');

  expect((await search(page, 'ventricular hypertrophy'))[0]).toBe('I51.7');

  const diabetes = await search(page, 'diabetes');
  expect(diabetes[0]).toBe('E11.9');
  expect(diabetes.slice(0, 3)).not.toContain('E23.2');
  await planter.shot('picker-diabetes');

  expect((await search(page, 'E11')).slice(0, 3)).toEqual(['E11.9', 'E11.00', 'E11.01']);

  const abuse = await search(page, 'child abuse');
  const initial = abuse.flatMap((c, k) => (c.endsWith('A') ? [k] : []));
  const sequela = abuse.flatMap((c, k) => (c.endsWith('S') ? [k] : []));
  expect(initial.length).toBeGreaterThan(3);
  if (sequela.length) expect(Math.max(...initial)).toBeLessThan(Math.min(...sequela));
  await planter.shot('picker-child-abuse');

  // Paths name chapters, never the internal "CH04".
  await search(page, 'E11.9');
  await expect(picker.getByRole('option').first()).toContainText('Endocrine, nutritional and metabolic diseases › E08-E13 › E11');
  await page.keyboard.press('Escape');
});

test("the picker finds labels by the words of the documents coders assigned them to, also just after annotating", async ({ page, planter }, info) => {
  const projectId = await planter.newProject('terms');
  const catalogue = info.outputPath('codes.csv');
  writeFileSync(catalogue, ['code,title,parent,synonyms', 'I21.9,"Acute myocardial infarction, unspecified",,', 'M25.569,Pain in unspecified knee,,', 'R07.9,"Chest pain, unspecified",,'].join('\n'));
  const corpus = info.outputPath('notes.jsonl');
  writeFileSync(
    corpus,
    [
      { id: 'n1', text: 'Crushing retrosternal pain since the morning, sweating.', labels: ['I21.9'] },
      { id: 'n2', text: 'Crushing retrosternal pain radiating to the left arm.', labels: ['I21.9'] },
      { id: 'n3', text: 'She cannot climb stairs since the fall in the garden.', labels: [] },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E terms/ }).click();
  await page.getByRole('radio', { name: 'Label catalogue' }).check();
  await page.getByLabel('File to import').setInputFiles(catalogue);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('3 labels created');
  await page.getByRole('radio', { name: 'Documents' }).check();
  await page.getByLabel('File to import').setInputFiles(corpus);
  await page.getByLabel('Split').fill('pool');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 3 documents');

  await page.keyboard.press('Alt+3');
  await page.getByLabel('Order').selectOption({ label: 'In order' });
  await page.getByRole('list', { name: 'Documents in the queue' }).getByRole('button', { name: /n3/ }).click();
  await expect(page.getByRole('document', { name: /Document text/ })).toContainText('climb stairs');
  // No model yet: the Evidence toggle is off and says why, instead of looking on over nothing (issue #14).
  await expect(page.getByRole('button', { name: /Evidence/ })).toBeDisabled();
  await expect(page.getByRole('button', { name: /Evidence/ })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByText('Evidence appears once a model is trained')).toBeVisible();
  await page.keyboard.press('/');
  const picker = pickerOf(page);
  await expect(picker.getByRole('combobox', { name: 'Search labels' })).toHaveAttribute('placeholder', /3 labels/);
  // No title says "retrosternal": the coders' documents do (their terms arrive just after the import).
  await expect.poll(() => search(page, 'retrosternal'), { timeout: 20_000 }).toEqual(['I21.9']);
  await expect(picker.getByRole('option').first()).toContainText("in this project's documents:");
  expect(await search(page, 'stairs')).toEqual([]);
  // The coder gives M25.569 to the note about stairs; a moment later "stairs" finds it.
  await search(page, 'M25.569');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: /On this document/ })).toContainText('M25.569');
  await expect
    .poll(
      async () => {
        await page.keyboard.press('/');
        const found = await search(page, 'stairs');
        await page.keyboard.press('Escape');
        return found;
      },
      { timeout: 20_000, intervals: [1000] },
    )
    .toEqual(['M25.569']);
  const terms = await planter.call('labels.terms', { projectId });
  expect(terms.labels.map((l) => l.labelId).length).toBe(2);
  await planter.shot('picker-project-terms');
});
