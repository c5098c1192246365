// Entry of the `planter` command (bin/planter.mjs loads the built copy of this file).
import { stopOnBrokenPipe } from './io';
import { runCli } from './run';

// Everything Planter writes (projects, models, exports, staging files, the training worker's
// checkpoints) is confidential: private to this user whatever the shell's umask (issue #15).
process.umask(0o077);
stopOnBrokenPipe(process.stdout, (code) => process.exit(code));

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`planter: internal error: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
