/** Test images made on the fly with sharp from tiny SVG scenes: flat shapes with exact, known edges. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Raster } from '../../src/engine/types.js';

export interface Fixture {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

function scene(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
}

export async function png(name: string, width: number, height: number, body: string): Promise<Fixture> {
  const buffer = await sharp(Buffer.from(scene(width, height, body)))
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}

/** A red disc and a navy square on white: two colours with straight and curved edges. */
export const shapes = (): Promise<Fixture> =>
  png(
    'shapes.png',
    240,
    160,
    '<circle cx="70" cy="80" r="45" fill="#d33"/><rect x="130" y="35" width="80" height="90" fill="#236"/>',
  );

/** Black marks for a batch: each file different, so no result comes from another's cache entry. */
export const mark = (i: number): Promise<Fixture> =>
  png(
    `mark-${i}.png`,
    120 + 20 * i,
    90,
    `<path d="M10 80 L${40 + 10 * i} 10 L${80 + 10 * i} 80 Z" fill="#000"/><circle cx="${100 + 20 * i}" cy="45" r="14" fill="#000"/>`,
  );

/** Text with an image's name: the service must refuse it whatever the name says. */
export const notAnImage = (): Fixture => ({
  name: 'notes.png',
  mimeType: 'image/png',
  buffer: Buffer.from('These are meeting notes, not a picture.\n'),
});

export async function decode(buffer: Buffer): Promise<Raster> {
  const { data, info } = await sharp(buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

/** A Twemoji (CC-BY 4.0, from the @twemoji/svg package) rendered at `size` px on transparency: a real colour picture. */
export async function emoji(code: string, name: string, size: number): Promise<Fixture> {
  const svg = readFileSync(
    fileURLToPath(new URL(`../../node_modules/@twemoji/svg/${code}.svg`, import.meta.url)),
  );
  const buffer = await sharp(svg, { density: (72 * size) / 36 })
    .resize(size, size)
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}

/**
 * An uncompressed 24-bit BMP (BITMAPINFOHEADER, rows bottom-up) of a black
 * disc on white: large in bytes for its simple content, so it exercises the
 * chunked upload without a slow conversion.
 */
export function largeBmp(name: string, width: number, height: number): Fixture {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const offset = 54;
  const buffer = Buffer.alloc(offset + stride * height, 0xff);
  buffer.fill(0, 0, offset);
  buffer.write('BM', 0, 'latin1');
  buffer.writeUInt32LE(buffer.length, 2);
  buffer.writeUInt32LE(offset, 10);
  buffer.writeUInt32LE(40, 14);
  buffer.writeInt32LE(width, 18);
  buffer.writeInt32LE(height, 22);
  buffer.writeUInt16LE(1, 26);
  buffer.writeUInt16LE(24, 28);
  buffer.writeUInt32LE(stride * height, 34);
  const [cx, cy, r] = [width / 2, height / 2, Math.min(width, height) / 3];
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) buffer.fill(0, row + x * 3, row + x * 3 + 3);
    }
  }
  return { name, mimeType: 'image/bmp', buffer };
}

/** A 512 px colour logo: a ring, a square and a triangle in three colours on white. */
export const logo512 = (): Promise<Fixture> =>
  png(
    'logo-512.png',
    512,
    512,
    '<circle cx="256" cy="256" r="200" fill="none" stroke="#1d4ed8" stroke-width="40"/>' +
      '<rect x="176" y="176" width="160" height="160" rx="24" fill="#f59e0b"/>' +
      '<path d="M256 40 L300 120 L212 120 Z" fill="#dc2626"/>',
  );

/**
 * A photo-like 1000×1000 image (1 MP): smooth colour waves with a little
 * deterministic noise, so it has continuous tones but needs no stored file.
 */
export async function synthPhoto(name = 'photo-1mp.png', width = 1000, height = 1000): Promise<Fixture> {
  const data = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 12;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const u = x / width;
      const v = y / height;
      data[i] = Math.max(0, Math.min(255, 128 + 100 * Math.sin(6 * u + 2 * v) + noise()));
      data[i + 1] = Math.max(0, Math.min(255, 120 + 90 * Math.sin(5 * v - 3 * u + 1) + noise()));
      data[i + 2] = Math.max(0, Math.min(255, 110 + 80 * Math.cos(4 * (u + v)) + noise()));
    }
  }
  const buffer = await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}
