import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBmp } from '../node/bmp-builder.js';
import { runCli } from './run-cli.js';

let dir: string;
let squarePng: Buffer;

/** A black square on white: something every tracer turns into one path. */
function square(size: number): Promise<Buffer> {
  const px = new Uint8Array(size * size * 3).fill(255);
  for (let y = size / 4; y < (3 * size) / 4; y++) {
    for (let x = size / 4; x < (3 * size) / 4; x++) px.fill(0, (y * size + x) * 3, (y * size + x) * 3 + 3);
  }
  return sharp(px, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

function expectSvg(text: string, width: number, height: number): void {
  expect(text).toMatch(new RegExp(`^<svg [^>]*viewBox="0 0 ${width} ${height}"`));
  expect(text).toContain('<path ');
  expect(text.trimEnd().endsWith('</svg>')).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'image2svg-cli-'));
  squarePng = await square(32);
  writeFileSync(join(dir, 'square.png'), squarePng);
  await sharp(squarePng).jpeg({ quality: 95 }).toFile(join(dir, 'square.jpg'));
  await sharp(squarePng).webp({ lossless: true }).toFile(join(dir, 'square.webp'));
  // Names that lie: a PNG called .jpg and a BMP called .png.
  writeFileSync(join(dir, 'really-png.jpg'), squarePng);
  const rows = Array.from({ length: 16 }, (_, y) =>
    Array.from({ length: 16 }, (_, x) => (x > 3 && x < 12 && y > 3 && y < 12 ? 1 : 0)),
  );
  writeFileSync(
    join(dir, 'really-bmp.png'),
    buildBmp({ width: 16, height: 16, bpp: 1, rows, palette: [0xffffff, 0] }),
  );
  writeFileSync(join(dir, 'notes.png'), 'these are not pixels');
  writeFileSync(join(dir, 'cut.png'), squarePng.subarray(0, 50));
  mkdirSync(join(dir, 'batch-in'));
  copyFileSync(join(dir, 'square.png'), join(dir, 'batch-in', 'one.png'));
  copyFileSync(join(dir, 'square.jpg'), join(dir, 'batch-in', 'two.jpg'));
  copyFileSync(join(dir, 'square.webp'), join(dir, 'batch-in', 'three.webp'));
  copyFileSync(join(dir, 'notes.png'), join(dir, 'batch-in', 'notes.png'));
  const bomb = Buffer.from(squarePng);
  bomb.writeUInt32BE(100_000, 16);
  bomb.writeUInt32BE(100_000, 20);
  writeFileSync(join(dir, 'bomb.png'), bomb);
});

describe('info', () => {
  it('names the format from the bytes, not the file name', async () => {
    const r = await runCli(['info', 'really-png.jpg', 'really-bmp.png', 'square.webp'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^really-png\.jpg: PNG 32x32, \d+ B\nreally-bmp\.png: BMP 16x16, \d+ B\nsquare\.webp: WEBP 32x32/,
    );
  });

  it('--json, a pixel bomb read from its header, and a bad file (exit 1)', async () => {
    const r = await runCli(['info', 'bomb.png', 'notes.png', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const records = JSON.parse(r.stdout) as unknown[];
    expect(records).toEqual([
      { input: 'bomb.png', format: 'png', width: 100_000, height: 100_000, bytes: squarePng.length },
      {
        input: 'notes.png',
        error: { code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('plain text') },
      },
    ]);
  });
});

describe('failures are reported per file', () => {
  it('a batch of bad files: each is named with its reason, nothing written, exit 1', async () => {
    const r = await runCli(
      ['convert', 'notes.png', 'cut.png', 'bomb.png', 'missing.png', '--out-dir', 'bad-out'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('image2svg: missing.png: no such file');
    expect(r.stderr).toContain('image2svg: notes.png: Unsupported format: plain text.');
    expect(r.stderr).toMatch(/image2svg: cut\.png: Corrupt or truncated PNG file: /);
    expect(r.stderr).toContain(
      'image2svg: bomb.png: Image is 100000x100000 (10000000000 pixels); the limit is 268402689 pixels',
    );
    expect(r.stderr).toMatch(/image2svg: 0 files converted, 4 failed; \d+ B in, 0 B out; /);
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });

  it('--json reports failures with their codes', async () => {
    const r = await runCli(['convert', 'cut.png', 'no-match-*.png', '--out-dir', 'json-out', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        input: 'cut.png',
        output: join('json-out', 'cut.svg'),
        ok: false,
        error: { code: 'CORRUPT_IMAGE', message: expect.stringMatching(/^Corrupt or truncated PNG/) },
      },
      {
        input: 'no-match-*.png',
        ok: false,
        error: { code: 'NOT_FOUND', message: 'no file matches this pattern' },
      },
    ]);
  });

  it('corrupt standard input', async () => {
    const r = await runCli(['convert', '-'], { cwd: dir, stdin: squarePng.subarray(0, 40) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^image2svg: stdin: Corrupt or truncated PNG file/);
  });

  it('over --max-side without --resize', async () => {
    const r = await runCli(['convert', 'square.png', '--max-side', '16', '-o', 'never.svg'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('square.png: Image is 32x32; the largest side allowed is 16 px');
    expect(existsSync(join(dir, 'never.svg'))).toBe(false);
  });
});

describe('conversions', () => {
  it('one file with -o', async () => {
    const r = await runCli(['convert', 'square.png', '-o', 'one/square-out.svg'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectSvg(readFileSync(join(dir, 'one/square-out.svg'), 'utf8'), 32, 32);
  });

  it('by default the SVG is written beside the input, whatever the extension says', async () => {
    const r = await runCli(['convert', 'really-bmp.png'], { cwd: dir });
    expect(r.code).toBe(0);
    expectSvg(readFileSync(join(dir, 'really-bmp.svg'), 'utf8'), 16, 16);
  });

  it('standard input to standard output, byte-identical to the file conversion', async () => {
    const r = await runCli(['convert', '-', '--precision', '2'], { cwd: dir, stdin: squarePng });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectSvg(r.stdout, 32, 32);
    const f = await runCli(['convert', 'square.png', '--precision', '2', '-o', '-'], { cwd: dir });
    expect(f.stdout).toBe(r.stdout);
  });

  it('a batch with --out-dir and a glob: bad files are reported, the good ones written, exit 1', async () => {
    const args = [
      'convert',
      'batch-in/*',
      'really-png.jpg',
      '--out-dir',
      'batch',
      '--jobs',
      '2',
      '--verbose',
    ];
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(1);
    for (const name of ['one', 'two', 'three', 'really-png']) {
      expectSvg(readFileSync(join(dir, 'batch', `${name}.svg`), 'utf8'), 32, 32);
    }
    expect(existsSync(join(dir, 'batch', 'notes.svg'))).toBe(false);
    expect(r.stderr).toContain('image2svg: batch-in/notes.png: Unsupported format: plain text.');
    expect(r.stderr).toMatch(/batch-in\/one\.png -> batch\/one\.svg: 1 path, \d+ nodes, \d+ B, \d+ ms/);
    expect(r.stderr).toMatch(/image2svg: 4 files converted, 1 failed; [\d.]+ k?B in, [\d.]+ k?B out; /);
  });

  it('square.png and square.jpg cannot share an output name, so the batch is refused first', async () => {
    const r = await runCli(['convert', 'square.png', 'square.jpg', '--out-dir', 'clash'], { cwd: dir });
    expect(r.code).toBe(2);
  });

  it('over --max-side with --resize: downscaled, with a note', async () => {
    const r = await runCli(['convert', 'square.png', '--max-side', '16', '--resize', '-o', 'small.svg'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('image2svg: square.png: downscaled from 32x32 to 16x16');
    expectSvg(readFileSync(join(dir, 'small.svg'), 'utf8'), 16, 16);
  });

  it('--json on a successful batch gives the stats of each file', async () => {
    copyFileSync(join(dir, 'square.png'), join(dir, 'copy.png'));
    const r = await runCli(['convert', 'square.png', 'copy.png', '--out-dir', 'json-ok', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; format: string; width: number; paths: number }[];
    expect(report.map((f) => [f.ok, f.format, f.width])).toEqual([
      [true, 'png', 32],
      [true, 'png', 32],
    ]);
    expect(report[0].paths).toBeGreaterThan(0);
  });
});
