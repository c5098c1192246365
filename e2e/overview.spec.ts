import { expect, test } from './fixtures';

test('opens the bundled demo and shows the overview with real counts', async ({ page, planter }) => {
  await planter.open();
  // The demo is built from resources/ on first start; the overview appears when it is ready.
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 90_000 });
  const stats = await planter.call('projects.stats', { projectId: 'demo' });
  expect(stats.documents.train).toBe(500);
  expect(stats.documents.dev).toBe(250);
  expect(stats.documents.pool).toBe(2751);
  await expect(page.getByTestId('stat-documents')).toContainText('3,501');
  await expect(page.getByTestId('stat-documents')).toContainText('train 500');
  await expect(page.getByTestId('stat-rare')).toContainText(stats.labels.buckets.few.toLocaleString('en'));
  // The histogram shows the long tail: the bin of labels with exactly one training document is there.
  await expect(page.getByRole('img', { name: 'Labels by number of training documents' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Pain, unspecified' })).toBeVisible();
  await planter.shot('overview-demo');
});

test('browses demo documents and searches the ICD-10-CM catalogue', async ({ page, planter }) => {
  await planter.open();
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 90_000 });
  await page.getByRole('button', { name: /Annotate/ }).click();
  await page.getByLabel('Order').selectOption({ label: 'Text search' });
  await page.getByRole('searchbox', { name: 'Search documents' }).fill('brucella');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const first = page.getByRole('list', { name: 'Documents in the queue' }).getByRole('button').first();
  await expect(first).toContainText(/brucell/i);
  // The matched word is highlighted, not shown in brackets (issue #14: "[sarcoidosis]").
  await expect(first.locator('mark').first()).toHaveText(/brucell/i);
  await expect(first).not.toContainText(/\[brucell/i);
  await first.click();
  await expect(page.getByRole('document', { name: /Document text/ })).toContainText(/brucell/i);
  await page.keyboard.press('/');
  await page.getByRole('combobox', { name: 'Search labels' }).fill('e119');
  await expect(page.getByRole('dialog', { name: 'Label picker' }).getByRole('option').first()).toContainText('E11.9');
  await planter.shot('annotate-browse');
});
