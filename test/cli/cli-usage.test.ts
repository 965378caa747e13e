import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'image2svg-cli-usage-'));
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
    .png()
    .toFile(join(dir, 'a.png'));
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
    .png()
    .toFile(join(dir, 'b.png'));
});

describe('help and version', () => {
  it('--help lists the commands, examples and exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/convert \[options\] <inputs\.\.\.>/);
    expect(r.stdout).toContain('info [options] <inputs...>');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 some file');
  });

  it('worker without REDIS_HOST is a usage error naming the variable (nothing to share without Redis)', async () => {
    const r = await runCli(['worker'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SERVICE_ROLE: "worker" needs REDIS_HOST/);
  });

  it('convert --help lists every engine option and the examples', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--output',
      '--out-dir',
      '--preset',
      '--mode',
      '--threshold',
      '--invert',
      '--no-transparent-background',
      '--speckle',
      '--corner-threshold',
      '--curve-tolerance',
      '--precision',
      '--colors',
      '--palette',
      '--detail',
      '--layering',
      '--max-side',
      '--resize',
      '--jobs',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('cat drawing.bmp | image2svg convert - > drawing.svg');
  });

  it('--version names the package and engine versions', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^image2svg \d+\.\d+\.\d+ \(engine \d+\.\d+\.\d+\)\n$/);
  });
});

describe('usage errors exit 2 and convert nothing', () => {
  it.each<[string, string[], RegExp]>([
    ['no command', [], /Usage: image2svg/],
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['no inputs', ['convert'], /missing required argument 'inputs'/],
    ['unknown flag', ['convert', 'a.png', '--frob'], /unknown option '--frob'/],
    ['bad mode', ['convert', 'a.png', '--mode', 'sepia'], /Allowed choices are binary, grayscale, color/],
    [
      'bad threshold syntax',
      ['convert', 'a.png', '--threshold', 'dark'],
      /Expected auto, adaptive or a level/,
    ],
    [
      'threshold out of range',
      ['convert', 'a.png', '--threshold', '300'],
      /--threshold: expected a number from 0 to 255, got 300/,
    ],
    [
      'corner threshold out of range',
      ['convert', 'a.png', '--corner-threshold', '500'],
      /--corner-threshold: expected a number from 0 to 180/,
    ],
    [
      'bad palette colour',
      ['convert', 'a.png', '--palette', '#fff,blue'],
      /--palette: expected a colour like "#1a2b3c", got "blue"/,
    ],
    [
      'fractional colours',
      ['convert', 'a.png', '--colors', '2.5'],
      /--colors: expected an integer from 2 to 256/,
    ],
    ['bad jobs', ['convert', 'a.png', '--jobs', '0'], /Expected a positive integer/],
    [
      '-o with two inputs',
      ['convert', 'a.png', 'b.png', '-o', 'x.svg'],
      /-o\/--output takes one input, got 2/,
    ],
    [
      '-o with --out-dir',
      ['convert', 'a.png', '-o', 'x.svg', '--out-dir', 'o'],
      /either -o\/--output or --out-dir/,
    ],
    [
      '--json with standard output',
      ['convert', 'a.png', '-o', '-', '--json'],
      /--json prints to standard output/,
    ],
    [
      'output over its input',
      ['convert', 'a.png', '-o', 'a.png'],
      /a\.png: the output would overwrite the input/,
    ],
  ])('%s', async (_name, args, message) => {
    const before = readdirSync(dir).sort();
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('two inputs that would write the same SVG', async () => {
    const sub = mkdtempSync(join(dir, 'same-'));
    for (const d of ['x', 'y']) {
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
        .png()
        .toFile(join(sub, `${d}.png`));
    }
    writeFileSync(join(sub, 'x.jpg'), 'placeholder');
    const r = await runCli(['convert', 'x.png', 'x.jpg', '--out-dir', 'out'], { cwd: sub });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('x.png and x.jpg would both be written to out/x.svg');
    expect(existsSync(join(sub, 'out'))).toBe(false);
  });
});
