import type { CliIo } from './io';

export type FlagSpec =
  | { type: 'string'; description: string; required?: boolean; multiple?: boolean; placeholder?: string }
  /** A whole number from `min` to `max`; anything else is a usage error naming the flag. */
  | { type: 'int'; description: string; min: number; max: number; placeholder?: string }
  | { type: 'boolean'; description: string };

export interface ParsedArgs {
  flags: Record<string, string | string[] | boolean | number | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Positional arguments, for the usage line (e.g. "FILE"). */
  positionals?: string;
  flags: Record<string, FlagSpec>;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/** The value of an `int` flag, already checked against its range by the parser. */
export function int(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export const JSON_FLAG: FlagSpec = { type: 'boolean', description: 'machine-readable output on stdout (metrics as fractions in [0, 1]; text shows them in %)' };
export const PROJECT_FLAG: FlagSpec = { type: 'string', description: 'project folder', required: true, placeholder: 'DIR' };

export function helpText(cmd: Command): string {
  const lines = [`planter ${cmd.name}${cmd.positionals ? ` ${cmd.positionals}` : ''} [options]`, '', cmd.summary, '', 'Options:'];
  const entries = Object.entries({ ...cmd.flags, help: { type: 'boolean', description: 'show this help' } as FlagSpec });
  const labels = entries.map(([name, f]) => `  --${name}${f.type === 'string' ? ` ${f.placeholder ?? 'VALUE'}` : f.type === 'int' ? ` ${f.placeholder ?? 'N'}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  entries.forEach(([, f], i) => {
    const extra = f.type === 'string' && f.required ? ' (required)' : f.type === 'string' && f.multiple ? ' (repeatable)' : '';
    lines.push(`${labels[i]!.padEnd(width)}${f.description}${extra}`);
  });
  return lines.join('\n');
}
