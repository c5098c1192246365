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
  await page.getByRole('searchbox', { name: 'Search documents' }).fill('brucella');
  const first = page.locator('.doc-list li button').first();
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.locator('.doc-text')).toContainText(/brucell/i);
  await page.getByRole('searchbox', { name: 'Search labels' }).fill('e119');
  await expect(page.locator('.labels .label-list').last()).toContainText('E11.9');
  await planter.shot('annotate-browse');
});
