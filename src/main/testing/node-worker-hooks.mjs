// Module hooks for tests (registered by ./tsx-worker.ts inside each worker it starts). Under tsx a
// shipped worker entry meets two bundler features that only electron-vite's build provides; these
// hooks stand in for exactly those two, so a test can start the entry as it ships:
// - `import createX from './x?nodeWorker'` resolves, as in the build, to a default export
//   `(options) => new Worker(...)`, here a worker that loads ./x.ts from source the same way;
// - `import.meta.glob('./dir/*.ext', { query: '?raw', import: 'default', eager: true })` (the
//   store's migrations) becomes the object of file contents the build inlines.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SUFFIX = '?nodeWorker';

/** The worker bootstrap: tsx and these hooks first (on Node 20 `execArgv` does not reach a worker's entry), then the entry. */
const bootstrap = (entry) =>
  `import('tsx/esm/api').then((t) => { t.register(); return import('node:module'); })` +
  `.then((m) => { m.register(${JSON.stringify(import.meta.url)}); return import(${JSON.stringify(entry)}); })`;

export async function resolve(specifier, context, next) {
  if (!specifier.endsWith(SUFFIX)) return next(specifier, context);
  const bare = specifier.slice(0, -SUFFIX.length);
  const entry = new URL(/\.[cm]?[jt]s$/.test(bare) ? bare : `${bare}.ts`, context.parentURL).href;
  const factory = `import { Worker } from 'node:worker_threads';\nexport default (options) => new Worker(${JSON.stringify(bootstrap(entry))}, { ...options, eval: true });\n`;
  return { shortCircuit: true, url: `data:text/javascript,${encodeURIComponent(factory)}` };
}

const GLOB = /import\.meta\.glob(?:<[^>]*>)?\(\s*(['"])([^'"]+)\1\s*,\s*(\{[^}]*\})\s*\)/g;

/** `{ './migrations/0001_x.sql': '…', … }` for a one-folder `*` pattern, read now as the build reads it at build time. */
function inlineGlob(url, pattern, options) {
  if (!/eager:\s*true/.test(options) || !/query:\s*['"]\?raw['"]/.test(options) || !/import:\s*['"]default['"]/.test(options)) {
    throw new Error(`${url}: the test hooks emulate only eager ?raw default imports in import.meta.glob, got ${options}`);
  }
  const slash = pattern.lastIndexOf('/');
  const [dir, name] = [pattern.slice(0, slash + 1), pattern.slice(slash + 1)];
  const [prefix, suffix, more] = name.split('*');
  if (suffix === undefined || more !== undefined || dir.includes('*')) throw new Error(`${url}: the test hooks emulate only one-folder "*" globs, got ${pattern}`);
  const files = readdirSync(fileURLToPath(new URL(dir, url))).filter((f) => f.startsWith(prefix) && f.endsWith(suffix)).sort();
  return `{${files.map((f) => `${JSON.stringify(dir + f)}: ${JSON.stringify(readFileSync(fileURLToPath(new URL(dir + f, url)), 'utf8'))}`).join(', ')}}`;
}

export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (!url.startsWith('file:') || loaded.source === undefined || loaded.source === null) return loaded;
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  if (!source.includes('import.meta.glob')) return loaded;
  return { ...loaded, source: source.replace(GLOB, (_, _q, pattern, options) => inlineGlob(url, pattern, options)) };
}
