#!/usr/bin/env node
// Builds better-sqlite3 against Electron's ABI into .electron-native/, leaving node_modules' Node
// build untouched (the CLI, the web host and the tests keep using that one). Run by `npm start`
// before Electron launches; needs the network once (Electron headers or a prebuilt binary), so it
// is never part of `npm ci`. The app passes the result to better-sqlite3 as `nativeBinding`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const outDir = join(root, '.electron-native');
const target = join(outDir, 'better_sqlite3.node');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const stamp = join(outDir, 'electron-version.txt');

if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === electronVersion) {
  process.exit(0);
}

const work = join(outDir, 'build');
rmSync(work, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
cpSync(join(root, 'node_modules/better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });

const run = (cmd, args) => spawnSync(cmd, args, { cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion } });
const prebuild = join(root, 'node_modules/prebuild-install/bin.js');
let ok = existsSync(prebuild) && run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]).status === 0;
if (!ok) {
  let gyp;
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [join(process.execPath, '../../lib/node_modules/npm')] });
  } catch {
    gyp = null;
  }
  ok = !!gyp && run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers']).status === 0;
}
const built = join(work, 'build/Release/better_sqlite3.node');
if (!ok || !existsSync(built)) {
  console.error(`could not build better-sqlite3 for Electron ${electronVersion} (no prebuilt binary and no headers reachable)`);
  process.exit(1);
}
copyFileSync(built, target);
writeFileSync(stamp, `${electronVersion}\n`);
rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 built for Electron ${electronVersion}: ${target}`);
