/**
 * Takes the README's screenshots (docs/screenshots/*.png) of each view on the demo project:
 * `npx tsx bench/ui-screenshots.ts --home DIR [--out docs/screenshots]`, where DIR is a data folder
 * whose demo project has a model trained with the default settings (`npx planter train` or the
 * Train view), so suggestions and evidence look like a real session. A full training is started for the
 * Train view's picture (from the settings drawer) and cancelled afterwards.
 *
 * `--compare NAME` takes only the Annotate view and the label picker on the queries of issue #14,
 * as NAME-annotate.png, NAME-picker-<query>.png (e.g. `--compare before`, later `--compare after`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<void> {
  const home = flag('home');
  if (!home) throw new Error('--home DIR is required (a data folder with a trained demo project)');
  const out = resolve(flag('out') ?? 'docs/screenshots');
  mkdirSync(out, { recursive: true });
  const urlFile = join(resolve(home), 'url.txt');
  rmSync(urlFile, { force: true });
  const host = spawn(process.execPath, ['bin/planter.mjs', 'serve', '--data-dir', resolve(home), '--url-file', urlFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600 && !existsSync(urlFile); i++) await new Promise((r) => setTimeout(r, 100));
  const url = readFileSync(urlFile, 'utf8').trim();
  const browser = await chromium.launch({ executablePath: flag('chromium') ?? process.env.PLANTER_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const shot = async (name: string): Promise<void> => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`wrote ${join(out, `${name}.png`)}`);
  };
  try {
    await page.goto(url);
    await page.waitForSelector('main[data-ready="true"]');
    const compare = flag('compare');
    if (compare) return await comparePictures(page, compare, out);
    // Annotate: the second suggestion selected, its evidence highlighted.
    await page.keyboard.press('Alt+3');
    await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor({ timeout: 120_000 });
    await page.keyboard.press('j');
    await page.locator('.doc-text mark').first().waitFor({ timeout: 30_000 });
    await shot('annotate');
    // The picker.
    await page.keyboard.press('/');
    await page.waitForSelector('input[aria-label="Search labels"][placeholder*="labels"]', { timeout: 120_000 });
    await page.keyboard.type('diabetes mell', { delay: 40 });
    await shot('picker');
    await page.keyboard.press('Escape');
    // Train: a full training started from the settings drawer, in progress with its loss curve.
    await page.keyboard.press('Alt+4');
    await page.getByRole('button', { name: 'Full training…' }).click();
    await page.getByRole('button', { name: 'Start full training' }).click();
    await page.getByRole('img', { name: /^Training loss/ }).waitFor({ timeout: 300_000 });
    await page.waitForTimeout(40_000);
    await shot('train');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: /Cancelled/ }).waitFor({ timeout: 120_000 });
    // Evaluate.
    await page.keyboard.press('Alt+5');
    await page.getByTestId('metric-p@5').waitFor({ timeout: 300_000 });
    await shot('evaluate');
    // Export.
    await page.keyboard.press('Alt+6');
    await page.getByRole('button', { name: 'Export model' }).click();
    await page.getByRole('status').filter({ hasText: /exported to/ }).waitFor({ timeout: 120_000 });
    await shot('export');
  } finally {
    await browser.close();
    host.kill('SIGTERM');
  }
}

/** The picker queries of issue #14, one picture each. */
const PICKER_QUERIES = ['heart attack', 'T2DM', 'diabetis', 'ventricular hypertrophy', 'diabetes', 'E11', 'child abuse'];

async function comparePictures(page: Page, name: string, out: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.keyboard.press('Alt+3');
  await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor({ timeout: 120_000 });
  await page.keyboard.press('j');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, `${name}-annotate.png`) });
  await page.keyboard.press('/');
  await page.waitForSelector('input[aria-label="Search labels"][placeholder*="labels"]', { timeout: 120_000 });
  const dialog = page.getByRole('dialog', { name: 'Label picker' });
  for (const q of PICKER_QUERIES) {
    await page.getByRole('combobox', { name: 'Search labels' }).fill(q);
    await page.waitForSelector(`#picker-list[data-query="${q}"]`);
    await page.waitForTimeout(300);
    const file = join(out, `${name}-picker-${q.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`);
    await dialog.screenshot({ path: file });
    console.log(`wrote ${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
