/**
 * The `scans` set: clean pages (text set in DejaVu from the Apache licence
 * text that ships with TypeScript, and line art from @tabler/icons), and a
 * seeded "scan" of each: blur, tinted paper, dark ink, uneven light (a
 * lighting ramp times a vignette) and noise. The clean page is the
 * reference every tool is scored against; the tools see only the scan.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { mulberry32, seededSample } from './random.js';

const ROOT = new URL('..', import.meta.url).pathname;
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONTS = ['DejaVuSans.ttf', 'DejaVuSerif.ttf'];
const TEXT_SOURCE = join(ROOT, 'node_modules/typescript/LICENSE.txt');
const ICON_DIR = join(ROOT, 'node_modules/@tabler/icons/icons/outline');

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function render(svg: string): Buffer {
  const fontFiles = FONTS.map((f) => join(FONT_DIR, f)).filter((f) => existsSync(f));
  if (fontFiles.length < FONTS.length)
    throw new Error(`DejaVu fonts missing in ${FONT_DIR} (fonts-dejavu-core)`);
  const r = new Resvg(svg, {
    background: 'white',
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return Buffer.from(r.asPng());
}

/** A page of justified-looking text lines from the licence, at a seeded size, font and offset. */
function textPage(seed: number): Buffer {
  const rand = mulberry32(seed);
  const width = 480 + Math.floor(rand() * 160);
  const height = Math.round(width * 1.3);
  const size = 11 + Math.floor(rand() * 8);
  const family = rand() < 0.5 ? 'DejaVu Sans' : 'DejaVu Serif';
  const words = readFileSync(TEXT_SOURCE, 'utf8').split(/\s+/).filter(Boolean);
  let w = Math.floor(rand() * words.length);
  const margin = Math.round(width * 0.08);
  const perLine = Math.floor((width - 2 * margin) / (size * 0.56));
  const lines: string[] = [];
  for (let y = margin + size; y < height - margin; y += Math.round(size * 1.45)) {
    let line = '';
    while (line.length + words[w % words.length].length + 1 <= perLine)
      line += (line ? ' ' : '') + words[w++ % words.length];
    lines.push(`<text x="${margin}" y="${y}">${escapeXml(line)}</text>`);
  }
  const heading = `<text x="${margin}" y="${margin - size * 0.4}" font-size="${Math.round(size * 1.6)}" font-weight="bold">${escapeXml(words[w % words.length])}</text>`;
  return render(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${family}" font-size="${size}" fill="black">${heading}${lines.join('')}</svg>`,
  );
}

/** A sheet of outline icons (2 px strokes on a 24 px grid) in a seeded grid. */
function lineArtPage(seed: number): Buffer {
  const rand = mulberry32(seed);
  const width = 480 + Math.floor(rand() * 160);
  const height = Math.round(width * 1.3);
  const cell = 64 + Math.floor(rand() * 48);
  const cols = Math.floor((width * 0.9) / cell);
  const rows = Math.floor((height * 0.9) / cell);
  const icons = seededSample(
    readdirSync(ICON_DIR).filter((f) => f.endsWith('.svg')),
    cols * rows,
    seed,
  );
  const x0 = (width - cols * cell) / 2;
  const y0 = (height - rows * cell) / 2;
  const parts = icons.map((file, i) => {
    const inner = readFileSync(join(ICON_DIR, file), 'utf8')
      .replace(/^[\s\S]*?<svg[^>]*>/, '')
      .replace(/<\/svg>\s*$/, '');
    const x = x0 + (i % cols) * cell + cell * 0.1;
    const y = y0 + Math.floor(i / cols) * cell + cell * 0.1;
    return `<svg x="${x}" y="${y}" width="${cell * 0.8}" height="${cell * 0.8}" viewBox="0 0 24 24" fill="none" stroke="black" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${inner}</svg>`;
  });
  return render(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`,
  );
}

/** A standard normal deviate from two uniform ones (Box-Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * The seeded scan of a clean page: blur (sigma 0.5-1.2 px), the page's grey
 * level mapped between a dark ink and a tinted paper colour, times a light
 * field (a linear ramp in a seeded direction down to 35-60% at the far side,
 * times a vignette losing 10-30% at the corners), plus Gaussian noise
 * (sigma 3-7 levels).
 */
export async function scanOf(clean: Buffer, seed: number): Promise<Buffer> {
  const rand = mulberry32(seed ^ 0x5ca45);
  const blur = 0.5 + rand() * 0.7;
  const { data, info } = await sharp(clean)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .blur(blur)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const paper = [245 + rand() * 10, 232 + rand() * 14, 200 + rand() * 30];
  const ink = [25 + rand() * 20, 25 + rand() * 20, 35 + rand() * 25];
  const angle = rand() * 2 * Math.PI;
  const far = 0.35 + rand() * 0.25;
  const corner = 0.1 + rand() * 0.2;
  const sigma = 3 + rand() * 4;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  // The ramp's parameter runs 0..1 across the page along (dx, dy).
  const ends = [0, width * dx, height * dy, width * dx + height * dy];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const out = Buffer.alloc(width * height * 4);
  const cx = width / 2;
  const cy = height / 2;
  const r2 = cx * cx + cy * cy;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const t = (x * dx + y * dy - lo) / (hi - lo);
      const light = (1 - (1 - far) * t) * (1 - (corner * ((x - cx) ** 2 + (y - cy) ** 2)) / r2);
      const c = data[p * info.channels] / 255;
      const n = gaussian(rand) * sigma;
      for (let k = 0; k < 3; k++) {
        const v = (ink[k] + (paper[k] - ink[k]) * c) * light + n;
        out[p * 4 + k] = Math.max(0, Math.min(255, Math.round(v)));
      }
      out[p * 4 + 3] = 255;
    }
  }
  return sharp(out, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/** The seeded choice of pages: alternately text and line art. */
export function scanPages(count: number, seed: number): { id: string; make: () => Promise<Buffer> }[] {
  return Array.from({ length: count }, (_, i) => {
    const s = seed + i * 7919;
    return i % 2 === 0
      ? { id: `text-${i}`, make: () => Promise.resolve(textPage(s)) }
      : { id: `lineart-${i}`, make: () => Promise.resolve(lineArtPage(s)) };
  });
}
