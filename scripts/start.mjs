#!/usr/bin/env node
// `npm start`: the desktop app where Electron runs; otherwise the same UI in browser mode.
// Usage: npm start [-- --browser] [-- --data-dir DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser') || process.env.PLANTER_BROWSER === '1';
const passThrough = args.filter((a) => a !== '--browser');

if (!existsSync(join(root, 'out/main/cli.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** Resolves the Electron binary, letting the electron package fetch it lazily (it may fail offline). */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (probe.status === 0 && probe.stdout && existsSync(probe.stdout)) return { path: probe.stdout };
  const reason = (probe.stderr || probe.error?.message || 'unknown error').split('\n').find((l) => /error|fail/i.test(l)) ?? 'binary unavailable';
  return { reason: reason.replace(/^.*?Error:\s*/, '').trim() };
}

function browserMode(why) {
  if (why) console.log(`Electron is not available here (${why}); serving Planter in browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'bin/planter.mjs'), 'serve', ...passThrough], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (forceBrowser) browserMode(null);
else {
  const electron = electronBinary();
  if (!electron.path) browserMode(electron.reason);
  else {
    const native = spawnSync(process.execPath, [join(root, 'scripts/electron-native.mjs')], { cwd: root, stdio: 'inherit' });
    if (native.status !== 0) browserMode('better-sqlite3 could not be built for Electron');
    else {
      const child = spawn(electron.path, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
      child.on('exit', (code) => process.exit(code ?? 0));
    }
  }
}
