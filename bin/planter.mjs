#!/usr/bin/env node
// The `planter` command: runs the built CLI (npm ci builds it through the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('planter: the app is not built yet; run `npm run build` in the Planter folder first\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
