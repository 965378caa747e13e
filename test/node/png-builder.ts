/** Builds PNG files byte by byte for tests: any bit depth, colour type, row filter and extra chunk. */
import { crc32, deflateSync } from 'node:zlib';

export function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function predictor(filter: number, a: number, b: number, c: number): number {
  if (filter === 1) return a;
  if (filter === 2) return b;
  if (filter === 3) return (a + b) >> 1;
  if (filter === 4) {
    const p = a + b - c;
    const pa = Math.abs(p - a);
    const pb = Math.abs(p - b);
    const pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }
  return 0;
}

export interface PngSpec {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  /** Unfiltered rows, each ceil(width x bits per pixel / 8) bytes. */
  rows: Uint8Array[];
  /** Filter type per row (0-4), cycling; default all 0. */
  filters?: number[];
  /** Chunks between IHDR and IDAT, e.g. PLTE and tRNS. */
  before?: Buffer[];
  /** Split the compressed data over this many IDAT chunks. */
  idatChunks?: number;
}

export function buildPng(spec: PngSpec): Buffer {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[spec.colorType]!;
  const bpp = Math.max(1, (spec.depth * channels) >> 3);
  const filters = spec.filters ?? [0];
  const raw: number[] = [];
  spec.rows.forEach((row, y) => {
    const f = filters[y % filters.length];
    const up = y > 0 ? spec.rows[y - 1] : null;
    raw.push(f);
    for (let i = 0; i < row.length; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = up ? up[i] : 0;
      const c = up && i >= bpp ? up[i - bpp] : 0;
      raw.push((row[i] - predictor(f, a, b, c)) & 255);
    }
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr.set([spec.depth, spec.colorType, 0, 0, 0], 8);
  const data = deflateSync(Uint8Array.from(raw));
  const parts = spec.idatChunks ?? 1;
  const idat: Buffer[] = [];
  const step = Math.ceil(data.length / parts);
  for (let o = 0; o < data.length; o += step) idat.push(chunk('IDAT', data.subarray(o, o + step)));
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    ...(spec.before ?? []),
    ...idat,
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Packs samples of `depth` bits into rows, most significant bits first. */
export function packRows(samples: number[][], depth: number): Uint8Array[] {
  return samples.map((row) => {
    const out = new Uint8Array(Math.ceil((row.length * depth) / 8));
    row.forEach((v, x) => {
      const bit = x * depth;
      out[bit >> 3] |= v << (8 - depth - (bit & 7));
    });
    return out;
  });
}
