import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

// Issue #14, bug 15: Projects had no rename or delete and cut long names without a tooltip;
// browser mode could not download exports.
test('projects can be renamed and deleted, and a long name shows whole on hover', async ({ page, planter }) => {
  const long = 'Cardiology coding 2026 — second pass over the discharge letters of the winter wards';
  const id = await planter.newProject('long');
  await planter.call('projects.rename', { projectId: id, name: long });
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  // The name is cut with an ellipsis in the list; its title holds it whole.
  await expect(page.getByRole('main').getByTitle(long, { exact: true })).toBeVisible();

  await page.getByRole('button', { name: `Rename ${long}` }).click();
  await page.getByRole('textbox', { name: 'New name' }).fill('Cardiology, winter');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('main').getByTitle('Cardiology, winter', { exact: true })).toBeVisible();
  expect((await planter.call('projects.list', {})).projects.find((p) => p.id === id)?.name).toBe('Cardiology, winter');

  await page.getByRole('button', { name: 'Delete Cardiology, winter' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete Cardiology, winter?' });
  await expect(confirm).toContainText('This cannot be undone');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect((await planter.call('projects.list', {})).projects.some((p) => p.id === id)).toBe(true);
  await page.getByRole('button', { name: 'Delete Cardiology, winter' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('button', { name: 'Delete Cardiology, winter' })).toHaveCount(0);
  expect((await planter.call('projects.list', {})).projects.some((p) => p.id === id)).toBe(false);
  await planter.shot('projects-after-delete');
});

test('browser mode downloads an export to the browser', async ({ page, planter }, info) => {
  test.skip(info.project.name === 'electron', 'browser mode only');
  await planter.open();
  await expect(page.getByRole('heading', { level: 1, name: /CodiEsp demo/ })).toBeVisible({ timeout: 90_000 });
  await page.keyboard.press('Alt+6');
  await page.getByRole('textbox', { name: 'File name' }).fill('e2e-download');
  await page.getByRole('button', { name: 'Export annotations' }).click();
  const button = page.getByRole('button', { name: 'Download e2e-download.jsonl' });
  await expect(button).toBeVisible({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe('e2e-download.jsonl');
  const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(lines.length).toBe(3501);
  expect(JSON.parse(lines[0]!)).toHaveProperty('id');
});
