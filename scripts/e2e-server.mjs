#!/usr/bin/env node
// Starts the web host for the e2e suite on a fresh data folder (the demo is rebuilt each run).
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

const dataDir = process.env.PLANTER_E2E_DATA;
const port = process.env.PLANTER_E2E_PORT;
if (!dataDir || !port) throw new Error('PLANTER_E2E_DATA and PLANTER_E2E_PORT must be set');
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ['bin/planter.mjs', 'serve', '--port', port, '--data-dir', dataDir], { stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
