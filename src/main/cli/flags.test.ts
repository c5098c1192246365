import { describe, expect, it } from 'vitest';
import type { Command } from './command';
import type { CliIo } from './io';
import { parseCommandArgs, runCli } from './run';
import { UsageError } from './io';

const capture = (): CliIo & { stderr: string[] } => {
  const stderr: string[] = [];
  return { stderr, out: () => undefined, err: (t) => stderr.push(t), interactive: false };
};

const command: Command = {
  name: 'demo',
  summary: 'a command for the parser',
  flags: { top: { type: 'int', min: 1, max: 1000, description: 'labels per document', placeholder: 'K' }, seed: { type: 'int', min: 0, max: 99, description: 'seed' } },
  run: async () => 0,
};

describe('int flags', () => {
  it('parse to numbers, and stay absent when not given', () => {
    expect(parseCommandArgs(command, ['--top', '25', '--seed', '0'])).toEqual({ flags: { top: 25, seed: 0 }, positionals: [] });
    expect(parseCommandArgs(command, [])).toEqual({ flags: {}, positionals: [] });
  });

  it.each([['abc'], ['2.5'], ['1e3'], ['0x10'], [''], [' 7'], ['0'], ['1001']])('refuse --top %j, naming the flag and its range', (raw) => {
    expect(() => parseCommandArgs(command, ['--top', raw])).toThrow(new UsageError(`--top must be a whole number from 1 to 1000, got ${raw}`));
  });

  it('a bad --top is a usage error of the command: exit 2, one line naming --top', async () => {
    const io = capture();
    expect(await runCli(['predict', '--model', 'm', 'docs.jsonl', '--top', 'abc'], io)).toBe(2);
    expect(io.stderr).toEqual(['planter predict: --top must be a whole number from 1 to 1000, got abc (see planter predict --help)']);
  });

  it('train checks --epochs, --seed and --threads the same way, before opening anything', async () => {
    for (const [flag, raw, range] of [['epochs', '0', '1 to 500'], ['seed', '-1', '0 to 2147483647'], ['threads', 'four', '1 to 64']] as const) {
      const io = capture();
      expect(await runCli(['train', '--project', 'nowhere', `--${flag}=${raw}`], io)).toBe(2);
      expect(io.stderr[0]).toBe(`planter train: --${flag} must be a whole number from ${range}, got ${raw} (see planter train --help)`);
    }
  });

  it('help shows the placeholder of an int flag', async () => {
    const out: string[] = [];
    expect(await runCli(['predict', '--help'], { out: (t) => void out.push(t), err: () => undefined, interactive: false })).toBe(0);
    expect(out.join('\n')).toMatch(/--top K\s+labels per document/);
  });
});
