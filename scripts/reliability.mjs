#!/usr/bin/env node
// `npm run test:reliability`: the crash, fuzz and security suites of issue #7 at full size, then
// one summary line. `npm run test:reliability:ci` runs the same suites at their CI size (what
// `npm run test:unit` runs anyway) and prints the same line.
//
// Usage: node scripts/reliability.mjs [--ci] [--no-build] [--seed N] [--kills N]
// The suites are the vitest files named *.reliability.test.ts, *.fuzz.test.ts and
// *.security.test.ts under src/. Each appends its counts to a JSON-lines file (src/main/testing/
// reliability/tally.ts); this script sums them:
//   reliability-summary {"kills":…,"lost_acknowledged":…,"integrity_failures":…,"fuzz_cases":…,"crashes":…,"partial_writes":…,"unauthorized_accepted":…}
// It exits non-zero when a suite fails, when any failure count is above zero, or (full run) when
// fewer than 200 kills or 10,000 fuzz cases ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ci = args.includes('--ci');
const KEYS = ['kills', 'lost_acknowledged', 'integrity_failures', 'fuzz_cases', 'crashes', 'partial_writes', 'unauthorized_accepted'];
const FAILURES = ['lost_acknowledged', 'integrity_failures', 'crashes', 'partial_writes', 'unauthorized_accepted'];

if (!args.includes('--no-build')) {
  // The process-level suites run the built app (out/), so it must be the current code.
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'planter-reliability-'));
const out = join(dir, 'counts.jsonl');
const env = { ...process.env, PLANTER_RELIABILITY_OUT: out };
if (ci) delete env.PLANTER_RELIABILITY;
else env.PLANTER_RELIABILITY = 'full';
if (flag('seed')) env.PLANTER_RELIABILITY_SEED = flag('seed');
if (flag('kills')) env.PLANTER_RELIABILITY_KILLS = flag('kills');

const started = Date.now();
const vitest = spawnSync('npx', ['vitest', 'run', '--project', 'node', 'reliability.test', 'fuzz.test', 'security.test'], { cwd: root, env, stdio: 'inherit' });

const total = Object.fromEntries(KEYS.map((k) => [k, 0]));
const suites = [];
if (existsSync(out)) {
  for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    const s = JSON.parse(line);
    suites.push(s);
    for (const k of KEYS) total[k] += Number(s[k] ?? 0);
  }
}
rmSync(dir, { recursive: true, force: true });

process.stdout.write(`\n${ci ? 'CI' : 'full'} reliability run, ${((Date.now() - started) / 60000).toFixed(1)} min:\n`);
for (const s of suites) {
  const counts = KEYS.filter((k) => s[k] !== undefined).map((k) => `${k}=${s[k]}`).join(' ');
  process.stdout.write(`  ${s.suite.padEnd(22)} ${counts}${s.notes ? `  ${JSON.stringify(s.notes)}` : ''}\n`);
}
const problems = [];
if (vitest.status !== 0) problems.push(`vitest exited with ${vitest.status ?? vitest.signal}`);
for (const k of FAILURES) if (total[k] > 0) problems.push(`${k} = ${total[k]}`);
if (!ci && total.kills < 200) problems.push(`only ${total.kills} kills (the full run needs ≥ 200)`);
if (!ci && total.fuzz_cases < 10_000) problems.push(`only ${total.fuzz_cases} fuzz cases (the full run needs ≥ 10,000)`);
if (problems.length) process.stdout.write(`problems: ${problems.join('; ')}\n`);
process.stdout.write(`reliability-summary ${JSON.stringify(total)}\n`);
process.exit(problems.length ? 1 : 0);
