import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/node/decode/index.js';
import { describeBytes } from '../../src/node/decode/sniff-format.js';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffFormat', () => {
  it.each([
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['gif', bytes('GIF87a')],
    ['gif', bytes('GIF89a')],
    ['bmp', bytes('BM')],
    ['tiff', bytes('II', [0x2a, 0])],
    ['tiff', bytes('MM', [0, 0x2a])],
    ['tiff', bytes('II', [0x2b, 0])],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
  ])('%s from its magic bytes', (format, b) => {
    expect(sniffFormat(b)).toBe(format);
  });

  it.each([
    ['a PNG signature cut short', bytes([0x89], 'PNG')],
    ['GIF with an unknown version', bytes('GIF90a')],
    ['RIFF that is not WebP', bytes('RIFF', [1, 2, 3, 4], 'WAVE')],
    ['nothing', new Uint8Array(0)],
  ])('null for %s', (_name, b) => {
    expect(sniffFormat(b)).toBeNull();
  });
});

describe('describeBytes', () => {
  it.each([
    [bytes('%PDF-1.4'), 'PDF document'],
    [bytes('%!PS-Adobe-3.0'), 'PostScript document'],
    [bytes('PK', [3, 4]), 'ZIP archive (or an Office document)'],
    [bytes([0, 0, 0, 0x1c], 'ftypavif'), 'AVIF image'],
    [bytes([0, 0, 0, 0x18], 'ftypheic'), 'HEIC image'],
    [bytes('RIFF', [0, 0, 0, 0], 'WAVE'), 'RIFF container (WAVE)'],
    [bytes([0xef, 0xbb, 0xbf], '  <svg width="1"/>'), 'SVG/XML text'],
    [bytes('<!-- logo -->\n<svg/>'), 'SVG/XML text'],
    [bytes('<!DOCTYPE html><html>'), 'HTML document'],
    [bytes('{"a": 1}'), 'JSON text'],
    [bytes('just words\n'), 'plain text'],
    [bytes([0, 1, 2, 0xfe]), 'unrecognised bytes (starts with 00 01 02 fe)'],
  ])('%#: %s', (b, what) => {
    expect(describeBytes(b)).toBe(what);
  });
});
