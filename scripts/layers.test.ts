/**
 * The layer rules in eslint.config.js must bite: an upward or sideways import is a lint error, a
 * legal one is not, tests get only their listed extra reach, and no folder escapes the rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

interface Layer {
  name: string;
  path: string;
  uses: string[];
}
let LAYERS: Layer[];
beforeAll(async () => {
  ({ LAYERS } = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as { LAYERS: Layer[] });
});

/** The no-restricted-imports messages for `code` as if it were the file at `filePath`. */
async function restrictions(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const importing = (spec: string): string => `import { x } from '${spec}';\nexport const y = x;\n`;

describe('layer rules', () => {
  it.each([
    ['src/main/store/fake.ts', '../services/context', 'store may not import services'],
    ['src/main/engine/models/fake.ts', '../../store/db', 'engine may not import store'],
    ['src/main/services/fake.ts', '../app/dispatch', 'services may not import app'],
    ['src/main/services/queue/fake.ts', '../../app/services', 'services may not import app'],
    ['src/main/jobs/fake.ts', '../app/event-hub', 'jobs may not import app'],
    ['src/main/lexical/fake.ts', '../store/db', 'lexical may not import store'],
    ['src/main/plant/pipeline/fake.ts', '../../exporters/annotations', 'pipeline may not import exporters'],
    ['src/main/plant/text/fake.ts', '../pipeline/model', 'text may not import pipeline'],
    ['src/main/plant/pipeline/fake.ts', '../../training/run-plan', 'pipeline may not import training'],
    ['src/main/importers/fake.ts', '../exporters/annotations', 'importers may not import exporters'],
    ['src/main/web/fake.ts', '../cli/run', 'web may not import cli'],
    ['src/renderer/src/views/fake.ts', '../../../main/app/dispatch', 'renderer may not import app'],
    ['src/shared/fake.ts', '../main/core/handlers', 'shared may not import core'],
  ])('%s importing %s fails', async (file, spec, message) => {
    expect(await restrictions(file, importing(spec))).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['src/shared/fake.ts', 'node:fs', 'shared runs without Node'],
    ['src/main/services/fake.ts', 'better-sqlite3', 'only store may import better-sqlite3'],
    ['src/main/plant/pipeline/fake.ts', './testing/synthetic', 'production code may not import test helpers'],
  ])('%s importing the package or helper %s fails', async (file, spec, message) => {
    expect(await restrictions(file, importing(spec))).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['src/main/services/queue/fake.ts', '../../store/queue-repo'],
    ['src/main/services/fake.ts', '../core/handlers'],
    ['src/main/jobs/fake.ts', '../core/event-hub'],
    ['src/main/plant/pipeline/fake.ts', '../../fs/atomic-write'],
    ['src/main/plant/pipeline/fake.ts', '../text/vocabulary'],
    ['src/main/plant/pipeline/fake.ts', '../../engine/rng'],
    ['src/main/web/fake.ts', '../app/dispatch'],
    ['src/main/store/fake.ts', 'better-sqlite3'],
    ['src/renderer/src/views/fake.ts', '../../../shared/contract'],
  ])('%s importing %s passes', async (file, spec) => {
    expect(await restrictions(file, importing(spec))).toEqual([]);
  });

  it('keeps test helpers out of production code, whichever layer holds them', async () => {
    expect(await restrictions('src/main/web/fake.ts', importing('../testing/temp-services'))).toEqual([expect.stringContaining('web may not import testing'), expect.stringContaining('production code may not import test helpers')]);
    expect(await restrictions('src/main/web/fake.test.ts', importing('../testing/temp-services'))).toEqual([]);
  });

  it('gives tests only the reach listed for them', async () => {
    expect(await restrictions('src/main/store/fake.test.ts', importing('../importers/fixtures/harness'))).toEqual([]);
    expect(await restrictions('src/main/store/fake.test.ts', importing('../testing/temp-services'))).toEqual([]);
    expect(await restrictions('src/main/services/fake.test.ts', importing('../app/dispatch'))).toEqual([]);
    expect(await restrictions('src/main/store/fake.test.ts', importing('../importers/run-import'))).toEqual([expect.stringContaining('store may not import importers')]);
    expect(await restrictions('src/main/store/fake.test.ts', importing('../app/dispatch'))).toEqual([expect.stringContaining('store may not import app')]);
  });

  it('leaves no folder of src/ or e2e/ without layer rules', async () => {
    const folders = ['src', 'e2e'].flatMap((top) => [top, ...readdirSync(join(root, top), { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => relative(root, join(e.parentPath, e.name)))]);
    const files = folders.flatMap((f) => readdirSync(join(root, f)).filter((n) => /\.(ts|svelte|mjs)$/.test(n)).map((n) => join(f, n)));
    expect(files.length).toBeGreaterThan(100);
    const unruled: string[] = [];
    for (const file of files) {
      if (await eslint.isPathIgnored(join(root, file))) continue;
      const config = (await eslint.calculateConfigForFile(join(root, file))) as { rules?: Record<string, unknown> } | undefined;
      if (!config?.rules?.['no-restricted-imports']) unruled.push(file);
    }
    expect(unruled).toEqual([]);
  });

  it('docs/architecture.md lists the same layers in the same order', () => {
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const listed = [...doc.matchAll(/^ {2}(\S+) +(\S+) +→ (.*)$/gm)].map(([, name, path, uses]) => ({ name, path, uses: !uses || uses === '—' ? [] : uses.split(', ') }));
    expect(listed).toEqual(LAYERS.map(({ name, path, uses }) => ({ name, path, uses })));
  });
});
