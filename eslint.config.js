import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// The layers, lowest first; docs/architecture.md draws the same list. A layer may import what it
// `uses` and, through them, everything below those; nothing else in this list: no upward import and
// no import between siblings. `uses` may name only earlier entries, so the list is the order and
// holds no cycle. Every file under src/ (and e2e/) belongs to one entry; layers.test.ts checks that.
// bench/ and scripts/ sit on top of everything and are not restricted.
export const LAYERS = [
  { name: 'shared', path: 'src/shared', uses: [], withoutNode: true },
  { name: 'core', path: 'src/main/core', uses: ['shared'] },
  { name: 'fs', path: 'src/main/fs', uses: [] },
  { name: 'engine', path: 'src/main/engine', uses: ['shared'] },
  { name: 'eval', path: 'src/main/eval', uses: ['shared'] },
  { name: 'text', path: 'src/main/plant/text', uses: ['shared'] },
  { name: 'store', path: 'src/main/store', uses: ['shared'] },
  { name: 'lexical', path: 'src/main/lexical', uses: ['engine', 'text'] },
  { name: 'mig', path: 'src/main/plant/mig', uses: ['text'] },
  { name: 'fusion', path: 'src/main/fusion', uses: ['lexical'] },
  { name: 'label-errors', path: 'src/main/label-errors', uses: ['lexical'] },
  { name: 'pipeline', path: 'src/main/plant/pipeline', uses: ['fs', 'eval', 'mig', 'fusion'] },
  { name: 'importers', path: 'src/main/importers', uses: ['store'] },
  { name: 'exporters', path: 'src/main/exporters', uses: ['store', 'fs'] },
  { name: 'training', path: 'src/main/training', uses: ['pipeline', 'store'] },
  { name: 'jobs', path: 'src/main/jobs', uses: ['core', 'importers', 'exporters', 'pipeline'] },
  { name: 'services', path: 'src/main/services', uses: ['jobs', 'training', 'label-errors'] },
  { name: 'app', path: 'src/main/app', uses: ['services'] },
  { name: 'testing', path: 'src/main/testing', uses: ['app'], testsOnly: true },
  { name: 'web', path: 'src/main/web', uses: ['app'] },
  { name: 'cli', path: 'src/main/cli', uses: ['web'] },
  { name: 'electron', path: 'src/main/electron', uses: ['web'] },
  { name: 'main', path: 'src/main/index.ts', uses: ['electron'] },
  { name: 'preload', path: 'src/preload', uses: ['shared'], withoutNode: true },
  { name: 'renderer', path: 'src/renderer', uses: ['shared'], withoutNode: true },
  { name: 'integration', path: 'src/integration', uses: ['renderer', 'web', 'testing'], testsOnly: true },
  { name: 'e2e', path: 'e2e', uses: ['shared'], testsOnly: true },
];

// Packages one layer owns: no other layer's production code imports them (tests may).
const OWNED_PACKAGES = {
  electron: ['electron', 'preload'],
  'better-sqlite3': ['store'],
  'onnxruntime-node': ['engine'],
  '@tensorflow/tfjs': ['engine'],
  ws: ['web'],
};

const TEST_FILES = ['**/*.test.ts', '**/*.test.svelte.ts', '**/testing/**', '**/fixtures/**'];

// Where tests may reach past their layer, and why. `from: '*'` is any layer's tests; `to` may name a
// folder inside a layer. Production code gets none of this.
const TEST_REACH = [
  { from: '*', to: 'testing', why: 'the shared test helpers (temp services, reliability tallies)' },
  { from: '*', to: 'importers/fixtures', why: 'the harness that fills a real project store from fixture files' },
  { from: ['services'], to: 'app', why: 'handler tests go through the real createServices and dispatch' },
  { from: ['training'], to: 'app', why: 'worker.test.ts starts the shipped training worker under the real createServices and dispatch' },
  { from: ['pipeline'], to: 'training', why: 'train-plant.test.ts trains the plan that training/run-plan.ts makes' },
  { from: ['importers'], to: 'exporters', why: 'csv.test.ts reads back what the exporter writes' },
];

// no-restricted-imports sees the import string ('../../store/db'), not the file it names, so the
// rules are written per folder depth: from src/main/services/queue/x.ts, store is '../../store'.
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const layerNamed = new Map(LAYERS.map((l) => [l.name, l]));
LAYERS.forEach((layer, i) => {
  for (const used of layer.uses) {
    const below = LAYERS.findIndex((l) => l.name === used);
    if (below < 0 || below >= i) throw new Error(`eslint.config.js: layer ${layer.name} uses ${used}, which is not listed below it`);
    if (LAYERS[below].testsOnly && !layer.testsOnly) throw new Error(`eslint.config.js: ${layer.name} is production code and may not use ${used}`);
  }
});
const reachable = (layer, seen = new Set()) => {
  for (const used of layer.uses) if (!seen.has(used)) reachable(layerNamed.get(used), seen.add(used));
  return seen;
};
const isFileLayer = (layer) => /\.[a-z]+$/.test(layer.path);
const repoRoot = path.dirname(fileURLToPath(import.meta.url));
const deepestFolder = (layer) => {
  const dir = path.join(repoRoot, layer.path);
  if (isFileLayer(layer) || !existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir, { recursive: true }).map((p) => String(p).split(/[\\/]/).length - 1));
};
const testReachOf = (layer) => TEST_REACH.filter((r) => r.from === '*' || r.from.includes(layer.name));

/** The import-string pattern for `target` seen from `fromDir`, minus the sub-folders in `except`. */
function importOf(fromDir, target, except, message) {
  const rel = path.posix.relative(fromDir, isFileLayer(target) ? target.path.replace(/\.[a-z]+$/, '') : target.path);
  const spec = escapeRegex(rel.startsWith('.') ? rel : `./${rel}`);
  const unless = except.map((sub) => `(?!/${escapeRegex(sub)}(?:[/?]|$))`).join('');
  return { regex: `^${spec}${unless}(?:[/?]|$)`, message };
}

function restrictedImports(layer, depth, forTests) {
  const fromDir = isFileLayer(layer) ? path.posix.dirname(layer.path) : layer.path + '/x'.repeat(depth);
  const allowed = reachable(layer);
  const reach = forTests ? testReachOf(layer) : [];
  const patterns = [];
  for (const target of LAYERS) {
    if (target === layer || allowed.has(target.name)) continue;
    if (reach.some((r) => r.to === target.name)) continue;
    const except = reach.filter((r) => r.to.startsWith(`${target.name}/`)).map((r) => r.to.slice(target.name.length + 1));
    patterns.push(importOf(fromDir, target, except, `${layer.name} may not import ${target.name}: the layer order is in eslint.config.js and docs/architecture.md`));
  }
  if (!forTests) {
    patterns.push({ regex: '(?:^|/)(?:testing|fixtures)(?:[/?]|$)', message: 'production code may not import test helpers' });
    for (const [pkg, owners] of Object.entries(OWNED_PACKAGES)) {
      if (!owners.includes(layer.name)) patterns.push({ regex: `^${escapeRegex(pkg)}(?:/|$)`, message: `only ${owners.join(' and ')} may import ${pkg}` });
    }
  }
  if (layer.withoutNode) patterns.push({ regex: '^node:', message: `${layer.name} runs without Node` });
  return { 'no-restricted-imports': ['error', { patterns }] };
}

const layerRules = LAYERS.flatMap((layer) =>
  Array.from({ length: deepestFolder(layer) + 1 }, (_, depth) => {
    const files = isFileLayer(layer) ? layer.path : `${layer.path}/${'*/'.repeat(depth)}*`;
    const prod = { files: [files], rules: restrictedImports(layer, depth, false) };
    if (layer.testsOnly) return [{ files: [files], rules: restrictedImports(layer, depth, true) }];
    if (isFileLayer(layer)) return [prod];
    return [prod, { files: TEST_FILES.map((t) => [files, t]), rules: restrictedImports(layer, depth, true) }];
  }).flat(),
);

export default tseslint.config(
  { ignores: ['.scratch/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  ...layerRules,
  // SQL lives in the repositories of src/main/store (issue #16): nothing else in main, the benches
  // or the scripts prepares a statement, sets a pragma or opens a transaction, so every query is
  // named, tested and found in one place (a bench that measures the store calls its repositories).
  // `prepare`, `pragma` and `transaction` are banned by name (nothing else there is called that);
  // `exec` only on a receiver named like a connection (`db`, `store.db`, `stagingDb`), because
  // RegExp#exec is everywhere. Tests, their fixtures and src/main/testing are exempt: they seed and
  // inspect the tables directly so that they never check a repository through itself.
  // Kept self-contained. The last block that sets a rule for a file wins in a flat config, so any
  // other `no-restricted-syntax` selectors for these files must be merged into this block.
  {
    files: ['src/main/**', 'bench/**', 'scripts/**'],
    ignores: ['src/main/store/**', '**/*.test.ts', 'src/main/**/fixtures/**', 'src/main/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'CallExpression[callee.property.name=/^(prepare|pragma|transaction)$/]',
          'CallExpression[callee.property.name="exec"][callee.object.name=/^(db|[A-Za-z]*Db)$/]',
          'CallExpression[callee.property.name="exec"][callee.object.property.name=/^(db|[A-Za-z]*Db)$/]',
        ].map((selector) => ({ selector, message: 'SQL belongs in a repository under src/main/store: add a named method there and call it.' })),
      ],
    },
  },
);
