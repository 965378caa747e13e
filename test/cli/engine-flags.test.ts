import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addEngineFlags, engineOptions } from '../../src/cli/engine-flags.js';
import { UsageError } from '../../src/cli/exit-codes.js';

function parse(args: string[]) {
  const cmd = addEngineFlags(new Command('t').exitOverride().configureOutput({ writeErr: () => {} }));
  cmd.parse(args, { from: 'user' });
  return engineOptions(cmd);
}

describe('engine flags', () => {
  it('only the flags given are passed, so presets and defaults apply to the rest', () => {
    expect(parse([])).toEqual({});
    expect(parse(['--preset', 'logo', '--colors', '8'])).toEqual({ preset: 'logo', colors: 8 });
  });

  it('every flag maps to its engine option', () => {
    const args = [
      ...['--mode', 'color', '--threshold', '140', '--invert', '--no-transparent-background'],
      ...['--speckle', '4', '--corner-threshold', '45.5', '--curve-tolerance', '.25', '--precision', '2'],
      ...['--colors', 'auto', '--palette', '#fff, #000000', '--detail', '0.8', '--layering', 'cutout'],
      ...['--shapes', 'off'],
      ...['--pixel-art', 'smooth'],
    ];
    expect(parse(args)).toEqual({
      mode: 'color',
      threshold: 140,
      invert: true,
      transparentAsBackground: false,
      speckle: 4,
      cornerThreshold: 45.5,
      curveTolerance: 0.25,
      precision: 2,
      colors: 'auto',
      palette: ['#fff', '#000000'],
      detail: 0.8,
      layering: 'cutout',
      shapes: 'off',
      pixelArt: 'smooth',
    });
    expect(parse(['--threshold', 'adaptive', '--transparent-background'])).toEqual({
      threshold: 'adaptive',
      transparentAsBackground: true,
    });
  });

  it.each([
    [['--speckle', '1e3'], /Expected a number/],
    [['--speckle', ''], /Expected a number/],
    [['--detail', '0.5x'], /Expected a number/],
    [['--palette', ' , '], /Expected colours/],
  ])('%j is refused while parsing', (args, message) => {
    expect(() => parse(args)).toThrow(message);
  });

  it.each([
    [['--precision', '7'], '--precision: expected an integer from 0 to 4, got 7'],
    [['--speckle', '-1'], '--speckle: expected an integer from 0 to 1000000, got -1'],
    [['--detail', '2'], '--detail: expected a number from 0 to 1, got 2'],
    [['--palette', '#abc,#12345'], '--palette: expected a colour like "#1a2b3c", got "#12345"'],
  ])('%j is refused by the engine with the flag named', (args, message) => {
    expect(() => parse(args)).toThrow(new UsageError(message));
  });
});
