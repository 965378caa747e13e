/**
 * The image sets, built from installed public packages into bench/.cache/sets
 * (seeded choices, so every run builds the same images). Each image keeps its
 * original (the reference for every metric) and, for binary sets, one
 * thresholded bitmap shared by every tool that wants a bitmap.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import sharp, { type Color } from 'sharp';
import type { Raster } from '../src/engine/types.js';
import { decodePng, encodePbm, encodePng, maskToRaster, otsuLevel, thresholdMask } from './bitmap.js';
import { mulberry32, seededSample, seededSize } from './random.js';
import { scanOf, scanPages } from './scans.js';

export type SetKind = 'binary' | 'color';

export interface BenchImage {
  readonly set: string;
  readonly id: string;
  /**
   * The input as PNG (what every tool reads) and the reference pixels every
   * metric compares with: the same image, except in sets with a `degrade`
   * step, where the tools read the damaged image and are scored against the
   * clean one (`original`); `input` is then the damaged image's pixels.
   */
  readonly pngPath: string;
  readonly png: Buffer;
  readonly original: Raster;
  readonly input?: Raster;
  /** Binary sets: the thresholded bitmap, as PNG and as PBM. */
  readonly bilevelPng?: Buffer;
  readonly pbmPath?: string;
  /** Scored composed on black as well as on white (translucent art). */
  readonly onBlack?: boolean;
}

export interface SetSpec {
  readonly name: string;
  readonly kind: SetKind;
  /** What the images are and where they come from, for the docs. */
  readonly source: string;
  /** Images in the full run and in `--quick`. */
  readonly count: number;
  readonly quickCount: number;
  /** Lists the seeded choice of sources, each with a function that makes its PNG. */
  choose(count: number): { id: string; make: () => Promise<Buffer> }[];
  /** Binary sets: the luma level of the shared bitmap ('otsu' or a fixed level). */
  readonly threshold?: 'otsu' | number;
  /** Score on black as well as on white. */
  readonly onBlack?: boolean;
  /**
   * Damages each clean image (seeded by its index): the tools read the result,
   * the metrics compare with the clean image. Binary sets threshold the damaged
   * image at its Otsu level for the tools that want a bitmap.
   */
  readonly degrade?: (clean: Buffer, index: number) => Promise<Buffer>;
}

const ROOT = new URL('..', import.meta.url).pathname;
export const CACHE = join(ROOT, 'bench/.cache');
/** Packages the benchmark installs for itself (scripts/install-bench-deps.sh), outside the project's node_modules. */
export const BENCH_DEPS = join(CACHE, 'deps');
const PHOTO_DIR = '/usr/share/backgrounds/mate/nature';
const SEED = 20261128;

function pkgDir(...parts: string[]): string {
  return join(ROOT, 'node_modules', ...parts);
}

function svgFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.svg'));
}

/**
 * Renders an SVG icon with resvg (anti-aliased) to fit `fill` of a `side` x
 * `side` canvas, centred on `background`.
 */
async function renderIcon(svg: string, side: number, background: Color, fill = 0.875): Promise<Buffer> {
  const inner = Math.round(side * fill);
  let rendered = new Resvg(svg, { fitTo: { mode: 'width', value: inner } }).render();
  if (rendered.height > inner)
    rendered = new Resvg(svg, { fitTo: { mode: 'height', value: inner } }).render();
  const icon = rendered.asPng();
  return sharp({ create: { width: side, height: side, channels: 4, background } })
    .composite([
      {
        input: icon,
        left: Math.floor((side - rendered.width) / 2),
        top: Math.floor((side - rendered.height) / 2),
      },
    ])
    .png()
    .toBuffer();
}

const WHITE: Color = { r: 255, g: 255, b: 255, alpha: 1 };
const CLEAR: Color = { r: 0, g: 0, b: 0, alpha: 0 };

function iconSet(dir: string, seed: number, background: Color) {
  return (count: number) =>
    seededSample(svgFiles(dir), count, seed).map((file) => ({
      id: file.replace(/\.svg$/, ''),
      make: () =>
        renderIcon(readFileSync(join(dir, file), 'utf8'), seededSize(file, 256, 512, seed), background),
    }));
}

function photoSet(longSide: number) {
  return (count: number) =>
    seededSample(
      readdirSync(PHOTO_DIR).filter((f) => /\.jpe?g$/i.test(f)),
      count,
      SEED,
    ).map((file) => ({
      id: file.replace(/\.jpe?g$/i, ''),
      make: () =>
        sharp(join(PHOTO_DIR, file))
          .resize(longSide, longSide, { fit: 'inside' })
          .removeAlpha()
          .ensureAlpha()
          .png()
          .toBuffer(),
    }));
}

/** The viewBox numbers and the content of an SVG icon. */
function svgParts(svg: string): { box: number[]; inner: string } {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error('not an SVG');
  const box = /viewBox="([^"]+)"/
    .exec(open[0])?.[1]
    .trim()
    .split(/[\s,]+/)
    .map(Number) ?? [0, 0, 24, 24];
  const inner = svg.slice(open.index + open[0].length, svg.lastIndexOf('</svg>'));
  return { box, inner };
}

/**
 * Translucent art made from an icon (seeded per file): a blurred drop
 * shadow at 25-60% opacity, a coloured glow, or the icon itself at 45-80%
 * opacity over a faint shadow. One-colour icons (currentColor) get a
 * seeded colour.
 */
function translucentSvg(svg: string, key: string, seed: number): string {
  const { box, inner } = svgParts(svg);
  const [x, y, w, h] = box;
  const size = Math.max(w, h);
  const r = (i: number) => seededSize(`${key}:${i}`, 0, 1000, seed) / 1000;
  const variant = Math.floor(r(0) * 3);
  const m = size * 0.18;
  const hue = Math.floor(r(1) * 360);
  const colour = `hsl(${hue},${55 + Math.floor(r(2) * 30)}%,${35 + Math.floor(r(3) * 20)}%)`;
  const icon = `<g id="i" fill="${colour}" color="${colour}">${inner}</g>`;
  const blur = (size * (0.02 + 0.05 * r(4))).toFixed(2);
  const matrix = (rgb: number[], a: number) =>
    `<feColorMatrix type="matrix" values="0 0 0 0 ${rgb[0]} 0 0 0 0 ${rgb[1]} 0 0 0 0 ${rgb[2]} 0 0 0 ${a} 0"/>`;
  const shadowAlpha = +(0.25 + 0.35 * r(5)).toFixed(2);
  const dx = (size * 0.04 * (1 + r(6))).toFixed(2);
  const glowRgb = [r(7), r(8), 1 - r(7)].map((v) => +v.toFixed(2));
  const fx = (id: string, body: string) =>
    `<filter id="${id}" x="-50%" y="-50%" width="200%" height="200%">${body}<feGaussianBlur stdDeviation="${blur}"/></filter>`;
  const defs = `<defs>${icon}${fx('s', matrix([0, 0, 0], shadowAlpha))}${fx('g', matrix(glowRgb, 0.85))}</defs>`;
  const body =
    variant === 0
      ? `<use href="#i" filter="url(#s)" transform="translate(${dx} ${dx})"/><use href="#i"/>`
      : variant === 1
        ? `<use href="#i" filter="url(#g)"/><use href="#i"/>`
        : `<use href="#i" filter="url(#s)" transform="translate(${dx} ${dx})"/><use href="#i" opacity="${(0.45 + 0.35 * r(9)).toFixed(2)}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${x - m} ${y - m} ${w + 2 * m} ${h + 2 * m}">${defs}${body}</svg>`;
}

function translucentSet(sources: { dir: string; share: number }[], seed: number) {
  return (count: number) =>
    sources.flatMap(({ dir, share }, s) =>
      seededSample(svgFiles(dir), Math.round(count * share), seed + s).map((file) => ({
        id: `${s}-${file.replace(/\.svg$/, '')}`,
        make: () =>
          renderIcon(
            translucentSvg(readFileSync(join(dir, file), 'utf8'), file, seed),
            seededSize(file, 256, 512, seed),
            CLEAR,
            1,
          ),
      })),
    );
}

/**
 * Pixel art: an icon rendered small (`side` px, no anti-aliasing), its
 * colours quantised to at most 16 without dithering and its alpha made
 * opaque or clear, then upscaled 8x with nearest neighbour.
 */
async function pixelArt(svg: string, side: number): Promise<Buffer> {
  const small = new Resvg(svg, { fitTo: { mode: 'width', value: side }, shapeRendering: 0 }).render();
  const { data, info } = await sharp(Buffer.from(small.asPng()))
    .png({ palette: true, colors: 16, dither: 0 })
    .toBuffer()
    .then((png) => sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true }));
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] < 128) data[i - 3] = data[i - 2] = data[i - 1] = data[i] = 0;
    else data[i] = 255;
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
    .resize(info.width * 8, info.height * 8, { kernel: 'nearest' })
    .png()
    .toBuffer();
}

/**
 * The seeded damage of the degraded set: on white, every other image
 * downscaled 2x and upscaled back (bicubic), then JPEG at quality 55-65,
 * decoded back to PNG (what a user's saved JPEG holds).
 */
async function jpegDamage(clean: Buffer, index: number): Promise<Buffer> {
  const rand = mulberry32(SEED + 17 + index * 101);
  const quality = 55 + Math.floor(rand() * 11);
  let img = sharp(clean).flatten({ background: '#ffffff' });
  if (index % 2 === 1) {
    const { width, height } = await sharp(clean).metadata();
    const half = await img
      .resize(Math.round(width / 2), Math.round(height / 2), { kernel: 'cubic' })
      .png()
      .toBuffer();
    img = sharp(half).resize(width, height, { kernel: 'cubic' });
  }
  const jpeg = await img.jpeg({ quality }).toBuffer();
  return sharp(jpeg).ensureAlpha().png().toBuffer();
}

/** Emoji (on white) and flags, alternately, for the degraded set. */
function clipArt(count: number): { id: string; make: () => Promise<Buffer> }[] {
  const emojiDir = pkgDir('@twemoji/svg');
  const flagDir = join(BENCH_DEPS, 'node_modules/flag-icons/flags/4x3');
  const emoji = seededSample(svgFiles(emojiDir), Math.ceil(count / 2), SEED + 17);
  const flags = seededSample(svgFiles(flagDir), Math.floor(count / 2), SEED + 18);
  return Array.from({ length: count }, (_, i) => {
    const file = i % 2 === 0 ? emoji[i >> 1] : flags[i >> 1];
    const dir = i % 2 === 0 ? emojiDir : flagDir;
    return {
      id: `${i % 2 === 0 ? 'emoji' : 'flag'}-${file.replace(/\.svg$/, '')}`,
      make: () =>
        renderIcon(readFileSync(join(dir, file), 'utf8'), seededSize(file, 256, 512, SEED + 17), WHITE, 1),
    };
  });
}

export const SETS: readonly SetSpec[] = [
  {
    name: 'logos',
    kind: 'binary',
    source: 'simple-icons brand logos, black on white, 256-512 px, anti-aliased (resvg)',
    count: 40,
    quickCount: 6,
    threshold: 128,
    choose: iconSet(pkgDir('simple-icons/icons'), SEED + 1, WHITE),
  },
  {
    name: 'fa-solid',
    kind: 'binary',
    source: '@fortawesome/fontawesome-free solid icons, black on white, 256-512 px, anti-aliased',
    count: 40,
    quickCount: 6,
    threshold: 128,
    choose: iconSet(pkgDir('@fortawesome/fontawesome-free/svgs/solid'), SEED + 2, WHITE),
  },
  {
    name: 'tabler-line',
    kind: 'binary',
    source:
      '@tabler/icons outline icons (line art, 2 px strokes on a 24 px grid), black on white, 256-512 px',
    count: 40,
    quickCount: 6,
    threshold: 128,
    choose: iconSet(pkgDir('@tabler/icons/icons/outline'), SEED + 3, WHITE),
  },
  {
    name: 'photo-bw',
    kind: 'binary',
    source: 'the photographs below thresholded at their Otsu level (the bilevel image is the original)',
    count: 12,
    quickCount: 3,
    threshold: 'otsu',
    choose: photoSet(512),
  },
  {
    name: 'scans',
    kind: 'binary',
    source:
      'text pages (DejaVu Sans/Serif, 11-18 px, words of the Apache licence shipped with TypeScript) and sheets of @tabler/icons line art, 480-640 px wide, each "scanned" with a seeded lighting ramp (35-60% light at the far side) times a vignette, tinted paper, dark ink, blur (sigma 0.5-1.2) and noise (sigma 3-7); scored against the clean page, the bitmap for potrace is the scan at its Otsu level',
    count: 12,
    quickCount: 4,
    choose: (count) => scanPages(count, SEED + 11),
    degrade: (clean, index) => scanOf(clean, SEED + 11 + index),
  },
  {
    name: 'emoji',
    kind: 'color',
    source: '@twemoji/svg colour emoji on a transparent background, 256-512 px (resvg)',
    count: 40,
    quickCount: 6,
    choose: iconSet(pkgDir('@twemoji/svg'), SEED + 4, CLEAR),
  },
  {
    name: 'flags',
    kind: 'color',
    source: 'flag-icons 4x3 flags (colour clip art, many with emblems), 256-512 px wide',
    count: 30,
    quickCount: 5,
    choose: (count) => {
      const dir = join(BENCH_DEPS, 'node_modules/flag-icons/flags/4x3');
      return seededSample(svgFiles(dir), count, SEED + 5).map((file) => ({
        id: file.replace(/\.svg$/, ''),
        make: async () => {
          const width = seededSize(file, 256, 512, SEED + 5);
          const r = new Resvg(readFileSync(join(dir, file), 'utf8'), {
            fitTo: { mode: 'width', value: width },
            background: 'white',
          }).render();
          return Buffer.from(r.asPng());
        },
      }));
    },
  },
  {
    name: 'pixelart',
    kind: 'color',
    source:
      '@twemoji/svg emoji rendered at 16-48 px without anti-aliasing, quantised to at most 16 colours (no dithering) with opaque-or-clear alpha, upscaled 8x with nearest neighbour (128-384 px)',
    count: 24,
    quickCount: 5,
    choose: (count) => {
      const dir = pkgDir('@twemoji/svg');
      return seededSample(svgFiles(dir), count, SEED + 13).map((file) => ({
        id: file.replace(/\.svg$/, ''),
        make: () => pixelArt(readFileSync(join(dir, file), 'utf8'), seededSize(file, 16, 48, SEED + 13)),
      }));
    },
  },
  {
    name: 'degraded',
    kind: 'color',
    source:
      '@twemoji/svg emoji and flag-icons flags on white, 256-512 px, every other one downscaled 2x and upscaled back (bicubic), all re-encoded as JPEG at quality 55-65 (seeded); scored against the clean image; the `input` row is the damaged image itself',
    count: 16,
    quickCount: 4,
    choose: clipArt,
    degrade: jpegDamage,
  },
  {
    name: 'photos',
    kind: 'color',
    source: `real photographs from Debian's mate-backgrounds (${PHOTO_DIR}), downscaled to 512 px on the long side`,
    count: 12,
    quickCount: 3,
    choose: photoSet(512),
  },
  {
    name: 'translucent',
    kind: 'color',
    source:
      'RGBA art on a transparent background: @twemoji/svg emoji and @fortawesome/fontawesome-free solid icons (seeded colour) with a blurred drop shadow (25-60% opacity), a coloured glow, or drawn at 45-80% opacity over a shadow (seeded per file), 256-512 px (resvg); scored composed on white and on black',
    count: 24,
    quickCount: 6,
    onBlack: true,
    choose: translucentSet(
      [
        { dir: pkgDir('@twemoji/svg'), share: 0.5 },
        { dir: pkgDir('@fortawesome/fontawesome-free/svgs/solid'), share: 0.5 },
      ],
      SEED + 6,
    ),
  },
];

/** Builds (or reads from the cache) the images of `spec`. */
export async function buildSet(spec: SetSpec, quick: boolean): Promise<BenchImage[]> {
  const dir = join(CACHE, 'sets', spec.name);
  mkdirSync(dir, { recursive: true });
  const out: BenchImage[] = [];
  const chosen = spec.choose(quick ? spec.quickCount : spec.count);
  for (const [index, { id, make }] of chosen.entries()) {
    const pngPath = join(dir, `${id}.png`);
    if (!existsSync(pngPath)) {
      let png = await make();
      if (spec.threshold === 'otsu') {
        const raster = await decodePng(png);
        png = await encodePng(
          maskToRaster(thresholdMask(raster, otsuLevel(raster)), raster.width, raster.height),
        );
      }
      writeFileSync(pngPath, png);
    }
    if (spec.degrade) {
      const inputPath = join(dir, `${id}.input.png`);
      if (!existsSync(inputPath)) writeFileSync(inputPath, await spec.degrade(readFileSync(pngPath), index));
      out.push(await degradedImage(spec, dir, id, inputPath, await decodePng(readFileSync(pngPath))));
      continue;
    }
    const png = readFileSync(pngPath);
    const original = await decodePng(png);
    if (spec.kind === 'color') {
      out.push({ set: spec.name, id, pngPath, png, original, ...(spec.onBlack ? { onBlack: true } : {}) });
      continue;
    }
    const mask = thresholdMask(original, typeof spec.threshold === 'number' ? spec.threshold : 128);
    const pbmPath = join(dir, `${id}.pbm`);
    writeFileSync(pbmPath, encodePbm(mask, original.width, original.height));
    const bilevelPng = await encodePng(maskToRaster(mask, original.width, original.height));
    out.push({ set: spec.name, id, pngPath, png, original, bilevelPng, pbmPath });
  }
  return out;
}

/** An image of a set with a `degrade` step: the damaged input, scored against the clean original. */
async function degradedImage(
  spec: SetSpec,
  dir: string,
  id: string,
  inputPath: string,
  original: Raster,
): Promise<BenchImage> {
  const png = readFileSync(inputPath);
  const input = await decodePng(png);
  const base = { set: spec.name, id, pngPath: inputPath, png, original, input };
  if (spec.kind === 'color') return base;
  const mask = thresholdMask(input, otsuLevel(input));
  const pbmPath = join(dir, `${id}.pbm`);
  writeFileSync(pbmPath, encodePbm(mask, input.width, input.height));
  return { ...base, bilevelPng: await encodePng(maskToRaster(mask, input.width, input.height)), pbmPath };
}
