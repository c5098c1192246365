import { _electron as electron, test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Input, Method, Output, Reply } from '../src/shared/contract';
import { E2E_DATA_DIR, E2E_PORT, E2E_TOKEN } from './env';

/** Where the Electron binary would be, without triggering its lazy download. */
export function electronBinary(): string | null {
  const dir = resolve('node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export interface Planter {
  /** Calls the main side through the same transport the page uses. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Opens the app (the URL with its token in browser mode; the window in Electron). */
  open(): Promise<void>;
  /** A fresh empty project for this test. */
  newProject(label: string): Promise<string>;
  /** Saves a screenshot as a test artefact (attached to the report and kept under test-results/). */
  shot(name: string): Promise<void>;
  /** A project's folder on disk (exports name their files relative to it). */
  projectDir(id: string): string;
}

async function screenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  const file = info.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

export const test = base.extend<{ planter: Planter }>({
  page: async ({ page }, use, info) => {
    if (info.project.name !== 'electron') return use(page);
    const bin = electronBinary();
    if (!bin) {
      console.log('[e2e] electron project skipped: no Electron binary on this machine (it downloads lazily and this network cannot reach it)');
      info.skip(true, 'no Electron binary on this machine');
      return;
    }
    const dataDir = `${E2E_DATA_DIR}-electron`;
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const app = await electron.launch({ executablePath: bin, args: ['out/main/index.js'], env: { ...process.env, PLANTER_HOME: dataDir } });
    const win = await app.firstWindow();
    await use(win);
    await app.close();
  },
  planter: async ({ page, request }, use, info) => {
    const isElectron = info.project.name === 'electron';
    const planter: Planter = {
      async call(method, input) {
        let reply: Reply<unknown>;
        if (isElectron) {
          reply = await page.evaluate(([m, i]) => (globalThis as unknown as { planter: { call(m: string, i: unknown): Promise<Reply<unknown>> } }).planter.call(m, i), [method, input] as const);
        } else {
          const res = await request.post(`http://127.0.0.1:${E2E_PORT}/api/call/${method}`, { headers: { authorization: `Bearer ${E2E_TOKEN}` }, data: input ?? {} });
          reply = (await res.json()) as Reply<unknown>;
        }
        if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
        return reply.value as Output<typeof method>;
      },
      async open() {
        if (!isElectron) await page.goto(`/#token=${E2E_TOKEN}`);
        await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
        await expect(page.locator('main[data-ready="true"]')).toBeVisible();
      },
      async newProject(label) {
        const id = `e2e-${label}-${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 60);
        await planter.call('projects.create', { id, name: `E2E ${label}` });
        return id;
      },
      shot: (name) => screenshot(page, info, name),
      projectDir: (id) => join(isElectron ? `${E2E_DATA_DIR}-electron` : E2E_DATA_DIR, 'projects', id),
    };
    await use(planter);
  },
});

export { expect };
