import { parseArgs } from 'node:util';
import { isPlanterError } from '../../shared/errors';
import { helpText, type Command, type ParsedArgs } from './command';
import { exportAnnotationsCommand } from './commands/export-annotations';
import { importCommand } from './commands/import';
import { importSpansCommand } from './commands/import-spans';
import { initCommand } from './commands/init';
import { labelsCommand } from './commands/labels';
import { serveCommand } from './commands/serve';
import { statsCommand } from './commands/stats';
import { retrainCommand, trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { predictCommand } from './commands/predict';
import { exportCommand } from './commands/export-model';
import { markCommand } from './commands/mark';
import { annotatorsCommand } from './commands/annotators';
import { guidelinesCommand, notesCommand } from './commands/notes';
import { processIo, UsageError, type CliIo } from './io';

export const COMMANDS: Command[] = [
  initCommand,
  importCommand,
  importSpansCommand,
  labelsCommand,
  statsCommand,
  trainCommand,
  retrainCommand,
  evalCommand,
  predictCommand,
  exportCommand,
  exportAnnotationsCommand,
  markCommand,
  annotatorsCommand,
  guidelinesCommand,
  notesCommand,
  serveCommand,
];

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'planter — teach a label-wise-attention model thousands of rare labels (PLANT)',
    '',
    'Usage: planter <command> [options]    (planter <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary.split('. ')[0]!.replace(/\.$/, '')}`),
  ].join('\n');
}

/** Parses one command's arguments against its flags (exported for tests). */
export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const [name, f] of Object.entries(cmd.flags)) options[name] = f.type === 'string' && f.multiple ? { type: 'string', multiple: true } : { type: f.type === 'int' ? 'string' : f.type };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/, '').replace(/^Unknown option/, 'unknown option'));
  }
  if (parsed.values.help) return 'help';
  // Only `multiple` string flags give arrays, and those hold strings.
  const flags = { ...parsed.values } as ParsedArgs['flags'];
  for (const [name, f] of Object.entries(cmd.flags)) {
    if (f.type === 'string' && f.required && parsed.values[name] === undefined) throw new UsageError(`--${name} is required`);
    const raw = parsed.values[name];
    if (f.type === 'int' && typeof raw === 'string') flags[name] = wholeNumber(name, f, raw);
  }
  if (!cmd.positionals && parsed.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  return { flags, positionals: parsed.positionals };
}

/** `--top 5` → 5; `--top abc`, `--top 2.5`, `--top 0x10` or one out of range → a usage error that names the flag. */
function wholeNumber(name: string, f: { min: number; max: number }, raw: string): number {
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < f.min || n > f.max) throw new UsageError(`--${name} must be a whole number from ${f.min} to ${f.max}, got ${raw}`);
  return n;
}

/**
 * Runs one CLI invocation and returns the exit code: 0 success, 1 a failure of the work (one-line
 * reason on stderr, no stack trace), 2 a usage error.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { appVersion } = await import('../app/paths');
    io.out(appVersion());
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`planter: unknown command "${name}" (see planter --help)`);
    return 2;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args === 'help') {
      io.out(helpText(cmd));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`planter ${cmd.name}: ${e.message} (see planter ${cmd.name} --help)`);
      return 2;
    }
    if (isPlanterError(e)) {
      io.err(`planter ${cmd.name}: ${e.message.split('\n')[0]}`);
      return 1;
    }
    io.err(`planter ${cmd.name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.PLANTER_DEBUG) io.err(String((e as Error).stack));
    return 1;
  }
}
