/** The CLI's output formats (--format or the -o extension) and physical units (--units, --dpi). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseFormat } from '../../src/cli/output-plan.js';
import { runCli } from './run-cli.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'image2svg-cli-out-'));
  const px = new Uint8Array(60 * 30 * 3).fill(255);
  for (let y = 5; y < 25; y++) px.fill(0, (y * 60 + 10) * 3, (y * 60 + 50) * 3);
  await sharp(px, { raw: { width: 60, height: 30, channels: 3 } })
    .withMetadata({ density: 300 })
    .png()
    .toFile(join(dir, 'bar.png'));
  const thin = new Uint8Array(60 * 30 * 3).fill(255);
  for (let y = 14; y < 17; y++) thin.fill(0, (y * 60 + 5) * 3, (y * 60 + 55) * 3);
  await sharp(thin, { raw: { width: 60, height: 30, channels: 3 } })
    .png()
    .toFile(join(dir, 'thin.png'));
});

describe('image2svg convert: formats and units', () => {
  it('takes the format from -o FILE.pdf, and from --format for the default output name', async () => {
    const pdf = await runCli(['convert', join(dir, 'bar.png'), '-o', join(dir, 'out.pdf')]);
    expect(pdf.code).toBe(0);
    const pdfText = readFileSync(join(dir, 'out.pdf'), 'latin1');
    expect(pdfText.startsWith('%PDF-1.4')).toBe(true);
    // 60 px at the file's 300 ppi = 0.2 in = 14.4 pt.
    expect(pdfText).toContain('/MediaBox [0 0 14.4 7.2]');
    for (const format of ['eps', 'dxf']) {
      const r = await runCli(['convert', join(dir, 'bar.png'), '--format', format]);
      expect(r.code).toBe(0);
      const text = readFileSync(join(dir, `bar.${format}`), 'latin1');
      expect(text.startsWith(format === 'eps' ? '%!PS-Adobe-3' : '0\nSECTION\n2\nHEADER')).toBe(true);
    }
  });

  it('--units mm writes the width in mm from the image dpi, --dpi overrides it', async () => {
    const mm = await runCli(['convert', join(dir, 'bar.png'), '-o', '-', '--units', 'mm']);
    expect(mm.stdout).toContain('viewBox="0 0 60 30" width="5.08mm" height="2.54mm"');
    const inch = await runCli(['convert', join(dir, 'bar.png'), '-o', '-', '--units', 'in', '--dpi', '60']);
    expect(inch.stdout).toContain('width="1in" height="0.5in"');
  });

  it('--mode centerline writes stroked paths for thin lines', async () => {
    const r = await runCli(['convert', join(dir, 'thin.png'), '-o', '-', '--mode', 'centerline']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /<path fill="none" stroke="#000000" stroke-width="[\d.]+" stroke-linecap="round"/,
    );
  });

  it('refuses an unknown format, a contradicting extension and a bad unit with usage errors', async () => {
    for (const args of [
      ['--format', 'png'],
      ['--format', 'pdf', '-o', join(dir, 'x.svg')],
      ['--units', 'cm'],
      ['--dpi', '0', '-o', '-'],
    ]) {
      const r = await runCli(['convert', join(dir, 'bar.png'), ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/format|units|dpi/);
    }
    expect(chooseFormat(undefined, 'a/B.DXF')).toBe('dxf');
    expect(chooseFormat(undefined, 'x.png')).toBe('svg');
    expect(chooseFormat('eps', '-')).toBe('eps');
  });
});
