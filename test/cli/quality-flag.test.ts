import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addEngineFlags, engineOptions } from '../../src/cli/engine-flags.js';
import { UsageError } from '../../src/cli/exit-codes.js';

function parse(args: string[]) {
  const cmd = addEngineFlags(new Command('t').exitOverride().configureOutput({ writeErr: () => {} }));
  cmd.parse(args, { from: 'user' });
  return engineOptions(cmd);
}

describe('--quality', () => {
  it('passes the dial to the engine beside explicit flags', () => {
    expect(parse(['--quality', '0.8'])).toEqual({ quality: 0.8 });
    expect(parse(['--quality', '.2', '--colors', '12'])).toEqual({ quality: 0.2, colors: 12 });
  });

  it('is listed in the help', () => {
    const cmd = addEngineFlags(new Command('t'));
    expect(cmd.helpInformation()).toMatch(/--quality <0-1>\s+smallest \(0\) to most faithful \(1\)/);
  });

  it('refuses a non-number while parsing and an out-of-range value with the flag named', () => {
    expect(() => parse(['--quality', 'high'])).toThrow(/Expected a number/);
    expect(() => parse(['--quality', '1.2'])).toThrow(
      new UsageError('--quality: expected a number from 0 to 1, got 1.2'),
    );
  });
});
