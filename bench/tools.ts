/**
 * The tools under test, each a function from a bench image to SVG text. The
 * harness times the whole call, so what a call does is what its time
 * includes: every in-process tool decodes the image file itself, and the
 * potrace CLI's time includes its process start and reading the PBM.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { vectorize, type VectorizeOptions } from '../src/engine/index.js';
import { decodeImage } from '../src/node/decode/index.js';
import { BENCH_DEPS, type BenchImage, type SetKind } from './sets.js';

export interface Tool {
  /** Short name in tables. */
  readonly name: string;
  /** The set kinds it runs on. */
  readonly kind: SetKind;
  /** Settings, for the docs. */
  readonly settings: string;
  /** True when the time is measured in this process (warm-up and repeat runs apply). */
  readonly inProcess: boolean;
  /** Runs only on sets with a `degrade` step (the damaged input as the bar to beat). */
  readonly degradedOnly?: boolean;
  /** Runs only on these sets (by name). */
  readonly sets?: readonly string[];
  run(image: BenchImage): Promise<string>;
}

const require = createRequire(import.meta.url);
const requireBenchDep = createRequire(join(BENCH_DEPS, 'package.json'));

/** The parts of @neplex/vectorizer used here. scripts/install-bench-deps.sh installs it into bench/.cache/deps. */
interface VtracerModule {
  vectorizeSync(png: Buffer, config?: number): string;
  Preset: { Bw: number; Poster: number; Photo: number };
}
interface ImageTracer {
  imagedataToSVG(
    image: { width: number; height: number; data: Uint8ClampedArray },
    options?: string | object,
  ): string;
}
type PotraceCallback = (err: Error | null, svg: string) => void;
interface PotraceModule {
  trace(file: Buffer, options: object, cb: PotraceCallback): void;
  posterize(file: Buffer, options: object, cb: PotraceCallback): void;
}

let vtracerModule: VtracerModule | null = null;
function vtracer(): VtracerModule {
  vtracerModule ??= requireBenchDep('@neplex/vectorizer') as VtracerModule;
  return vtracerModule;
}
const imageTracer = (): ImageTracer => require('imagetracerjs') as ImageTracer;
const potraceNpm = (): PotraceModule => require('potrace') as PotraceModule;

async function image2svg(image: BenchImage, options: VectorizeOptions): Promise<string> {
  const { raster } = await decodeImage(image.png);
  return vectorize(raster, options).svg;
}

function potraceCli(image: BenchImage): Promise<string> {
  const r = spawnSync('potrace', ['-s', '-o', '-', image.pbmPath!], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`potrace exited with ${r.status}: ${r.stderr}`);
  return Promise.resolve(r.stdout);
}

function callback(fn: (cb: PotraceCallback) => void): Promise<string> {
  return new Promise((resolve, reject) => fn((err, svg) => (err ? reject(err) : resolve(svg))));
}

async function imageTracerRun(image: BenchImage, preset: string): Promise<string> {
  const { data, info } = await sharp(image.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const imageData = {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
  };
  return imageTracer().imagedataToSVG(imageData, preset);
}

/** The damaged input itself as an SVG `<image>`: scored like a tool, it is the bar a tracer must beat. */
function inputAsSvg(image: BenchImage): Promise<string> {
  const { width, height } = image.original;
  return Promise.resolve(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${image.png.toString('base64')}"/></svg>`,
  );
}

/** Points of the `quality` dial measured on the photos set: the engine's fidelity-vs-bytes curve. */
const QUALITY_POINTS = [0, 0.2, 0.35, 0.5, 0.65, 0.8, 1] as const;

export const TOOLS: readonly Tool[] = [
  {
    name: 'image2svg',
    kind: 'binary',
    settings:
      'binary mode, defaults (Otsu threshold on the anti-aliased original); time includes PNG decoding',
    inProcess: true,
    run: (image) => image2svg(image, { mode: 'binary' }),
  },
  {
    name: 'potrace',
    kind: 'binary',
    settings: 'Debian potrace 1.16, `potrace -s` (defaults) on the shared PBM; time includes process start',
    inProcess: false,
    run: potraceCli,
  },
  {
    name: 'vtracer',
    kind: 'binary',
    settings: '@neplex/vectorizer, binary mode (its Bw preset) on the original PNG; time includes decoding',
    inProcess: true,
    run: (image) => Promise.resolve(vtracer().vectorizeSync(image.png, vtracer().Preset.Bw)),
  },
  {
    name: 'potrace-npm',
    kind: 'binary',
    settings:
      'npm potrace 2.1.8 `trace`, defaults, on the shared bitmap as PNG; time includes its Jimp decoding',
    inProcess: true,
    run: (image) => callback((cb) => potraceNpm().trace(image.bilevelPng!, {}, cb)),
  },
  {
    name: 'input',
    kind: 'color',
    settings:
      'degraded set only: the damaged image itself (embedded as a PNG `<image>`), scored against the clean original: the bar to beat',
    inProcess: false,
    degradedOnly: true,
    run: inputAsSvg,
  },
  {
    name: 'image2svg',
    kind: 'color',
    settings: 'colour mode, defaults (stacked layering); time includes PNG decoding',
    inProcess: true,
    run: (image) => image2svg(image, { mode: 'color' }),
  },
  {
    name: 'image2svg-cutout',
    kind: 'color',
    settings: 'colour mode, `layering: cutout` (shapes abut exactly, no overlaps)',
    inProcess: true,
    run: (image) => image2svg(image, { mode: 'color', layering: 'cutout' }),
  },
  {
    name: 'image2svg-photo',
    kind: 'color',
    settings: "colour mode, `preset: 'photo'` (the engine's photo preset)",
    inProcess: true,
    run: (image) => image2svg(image, { preset: 'photo' }),
  },
  ...QUALITY_POINTS.map((quality): Tool => ({
    name: `image2svg-q${quality}`,
    kind: 'color',
    settings: `colour mode, \`quality: ${quality}\` (a point of the quality dial; photos set only)`,
    inProcess: true,
    sets: ['photos'],
    run: (image) => image2svg(image, { mode: 'color', quality }),
  })),
  {
    name: 'vtracer',
    kind: 'color',
    settings: '@neplex/vectorizer colour mode, its defaults; time includes decoding',
    inProcess: true,
    run: (image) => Promise.resolve(vtracer().vectorizeSync(image.png)),
  },
  {
    name: 'vtracer-poster',
    kind: 'color',
    settings: '@neplex/vectorizer, its Poster preset',
    inProcess: true,
    run: (image) => Promise.resolve(vtracer().vectorizeSync(image.png, vtracer().Preset.Poster)),
  },
  {
    name: 'vtracer-photo',
    kind: 'color',
    settings: '@neplex/vectorizer, its Photo preset',
    inProcess: true,
    run: (image) => Promise.resolve(vtracer().vectorizeSync(image.png, vtracer().Preset.Photo)),
  },
  {
    name: 'imagetracer',
    kind: 'color',
    settings: "imagetracerjs 1.2.6, 'default' options; time includes decoding (sharp)",
    inProcess: true,
    run: (image) => imageTracerRun(image, 'default'),
  },
  {
    name: 'imagetracer-detailed',
    kind: 'color',
    settings: "imagetracerjs 1.2.6, 'detailed' preset",
    inProcess: true,
    run: (image) => imageTracerRun(image, 'detailed'),
  },
  {
    name: 'potrace-npm-posterize',
    kind: 'color',
    settings: 'npm potrace 2.1.8 `posterize`, defaults (grey levels only)',
    inProcess: true,
    run: (image) => callback((cb) => potraceNpm().posterize(image.png, {}, cb)),
  },
];
