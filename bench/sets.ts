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
import { seededSample, seededSize } from './random.js';

export type SetKind = 'binary' | 'color';

export interface BenchImage {
  readonly set: string;
  readonly id: string;
  /** The original as PNG (what image-file tools read) and its pixels (the reference). */
  readonly pngPath: string;
  readonly png: Buffer;
  readonly original: Raster;
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
  for (const { id, make } of spec.choose(quick ? spec.quickCount : spec.count)) {
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
