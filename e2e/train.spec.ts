import { writeFileSync } from 'node:fs';
import { demoLines } from './demo-lines';
import { expect, test } from './fixtures';
import { PLANT_DEFAULTS, SETTING_FIELDS, settingValue, type PlantSettings } from '../src/shared/contract';


/**
 * The Train view tells the truth (issue #14): the drawer shows the settings a run uses, the
 * progress only goes forward (one bar for the whole run, one for the stage), each training stage
 * has its own chart with its own metric, and the time is estimated before a run starts.
 * A small project cut from the demo (200 training, 100 dev, 20 pool documents) and small
 * settings keep it to about a minute on a CI CPU.
 */
const TINY: Record<string, number | boolean> = { pretrain: false, 'epochs.l2r': 1, 'epochs.finetune': 3, maxLen: 128, dim: 32, batchSize: 32, sampledLabels: 256 };

test('train view: drawer = stored settings, monotone progress, one chart per stage, estimate first', async ({ page, planter }, info) => {
  test.setTimeout(10 * 60_000);
  const projectId = await planter.newProject('train');
  await planter.open();
  await page.getByRole('button', { name: /Projects/ }).click();
  await page.getByRole('button', { name: /^E2E train/ }).click();
  for (const [file, split, n, count] of [['codiesp-train.jsonl.gz', 'train', 200, 200], ['codiesp-dev.jsonl.gz', 'dev', 100, 100], ['codiesp-pool.jsonl.gz', 'pool', 20, 20]] as const) {
    const path = info.outputPath(`${split}.jsonl`);
    writeFileSync(path, demoLines(file, n));
    await page.getByRole('radio', { name: 'Documents' }).check();
    await page.getByLabel('File to import').setInputFiles(path);
    await page.getByLabel('Split').fill(split);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(`Imported ${count} documents`);
  }
  await page.keyboard.press('Alt+4');
  const view = page.getByRole('region', { name: 'Train' });
  await expect(view.getByRole('heading', { level: 1, name: 'Train' })).toBeVisible();
  // The estimate is said before anything starts: a new project has nothing to time it from, and says so.
  await expect(view.getByTestId('estimate')).toContainText(/No time estimate yet: .* \([\d,]+ training steps\)/);

  // The drawer starts from the current model's stored settings, or the schema's defaults without one.
  const { models: before } = await planter.call('models.list', { projectId });
  const base: PlantSettings = before.find((m) => m.current)?.settings ?? PLANT_DEFAULTS;
  await view.getByRole('button', { name: 'Full training…' }).click();
  const drawer = view.getByRole('form', { name: 'Full training settings' });
  await drawer.getByText('Expert settings').click();
  for (const f of SETTING_FIELDS) {
    const input = drawer.locator(`[data-setting="${f.key}"]`);
    if (f.kind === 'boolean') expect(await input.isChecked(), f.key).toBe(settingValue(base, f.key));
    else expect(Number.isNaN(Number(await input.inputValue())) ? await input.inputValue() : Number(await input.inputValue()), f.key).toEqual(settingValue(base, f.key));
  }
  // Plain words first, the technical name second.
  await expect(drawer).toContainText('Passes learning the codes from your examples (fine-tuning epochs)');
  await expect(drawer).toContainText('(learning-to-rank (L2R) epochs)');
  await expect(drawer.getByTestId('full-estimate')).toContainText(/No time estimate yet/);
  if (process.env.PLANTER_DOC_SHOTS) await page.screenshot({ path: 'docs/screenshots/train-settings-after.png', fullPage: true });

  for (const [key, value] of Object.entries(TINY)) {
    const input = drawer.locator(`[data-setting="${key}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else await input.fill(String(value));
  }
  await drawer.getByRole('button', { name: 'Start full training' }).click();

  // While it runs: the whole-run bar only moves forward, the stage bar sits beside it.
  const whole = view.getByRole('progressbar', { name: 'Whole run' });
  await expect(whole).toBeVisible();
  await expect(view.getByRole('progressbar', { name: /^Stage: / })).toBeVisible();
  const seen: number[] = [];
  const running = async (): Promise<boolean> => (await planter.call('jobs.list', { projectId })).jobs.some((j) => (j.kind === 'train' || j.kind === 'retrain') && !j.finished);
  let shot = false;
  while (await running()) {
    const v = await whole.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
    if (v !== null) seen.push(Number(v));
    if (!shot && process.env.PLANTER_DOC_SHOTS && (await view.getByTestId('chart-l2r').count()) > 0 && /Learning the codes/.test((await view.getByRole('progressbar', { name: /^Stage: / }).getAttribute('aria-label')) ?? '')) {
      await page.screenshot({ path: 'docs/screenshots/train-after.png', fullPage: true });
      shot = true;
    }
    await page.waitForTimeout(250);
  }
  expect(seen.length).toBeGreaterThan(3);
  seen.forEach((v, i) => i > 0 && expect(v, `whole-run % at sample ${i}: ${seen.join(',')}`).toBeGreaterThanOrEqual(seen[i - 1]!));

  // The run used what the drawer showed.
  const { runs } = await planter.call('training.runs', { projectId });
  const run = runs.at(-1)!;
  expect(run.outcome).toBe('done');
  for (const f of SETTING_FIELDS) expect(settingValue(run.settings, f.key), f.key).toEqual(f.key in TINY ? TINY[f.key] : settingValue(base, f.key));

  // One chart per stage, each with its own metric: never nDCG and P@5 on one chart.
  const l2r = view.getByTestId('chart-l2r');
  const finetune = view.getByTestId('chart-finetune');
  await expect(l2r).toBeVisible();
  await expect(finetune).toBeVisible();
  await expect(l2r.locator('svg')).toHaveAttribute('aria-label', /nDCG@10/);
  await expect(l2r.locator('svg')).not.toHaveAttribute('aria-label', /P@5/);
  await expect(finetune.locator('svg')).toHaveAttribute('aria-label', /attention model's P@5 on tuning documents, %/);
  await expect(l2r.getByRole('heading', { name: 'Learning to rank (where each code looks)' })).toBeVisible();
  await expect(finetune.getByRole('heading', { name: 'Fine-tuning (learning the codes)' })).toBeVisible();
  await expect(finetune.locator('svg')).not.toHaveAttribute('aria-label', /nDCG/);
  await expect(view.getByTestId('chart-pretrain')).toHaveCount(0); // no pretraining in this run

  // The new model became current, or was kept and the view says why with a one-click switch.
  const { models } = await planter.call('models.list', { projectId });
  const made = models.find((m) => m.id === run.modelId)!;
  if (made.current) await expect(view.getByTestId('gate-notice')).toHaveCount(0);
  else {
    await expect(view.getByTestId('gate-notice')).toContainText(`Model #${made.id} was kept but is not current: ${made.gate!.reason}`);
    await expect(view.getByTestId('gate-notice').getByRole('button', { name: `Use #${made.id} anyway` })).toBeVisible();
  }
  // Now the next training is estimated from this one's stage timings.
  await expect(view.getByTestId('estimate')).toContainText(new RegExp(`(about \\d+ min|under a minute) on this machine \\([\\d,]+ training steps; timed from run #${run.id}\\)`));
  if (process.env.PLANTER_DOC_SHOTS) await page.screenshot({ path: 'docs/screenshots/train-after-finished.png', fullPage: true });
  await planter.shot('train-finished-stages');

  // Suggestions show the calibrated probability, and say so.
  await page.keyboard.press('Alt+3');
  const score = page.getByRole('listbox', { name: 'Suggestions' }).getByTestId('probability').first();
  await expect(score).toBeVisible({ timeout: 60_000 });
  expect((await score.textContent())!.trim()).toMatch(/^(\d{1,3}|<1|>99) %$/);
  await expect(score).toHaveAttribute('title', /calibrated probability that this code applies/);
});
