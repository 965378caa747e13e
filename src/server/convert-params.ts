/**
 * Conversion options as the API takes them (snake_case query-string or
 * multipart form fields, all strings on the wire). One zod schema validates
 * them and also documents them in the OpenAPI spec at /docs, then
 * `toConversionRequest` maps them onto the engine's VectorizeOptions.
 */
import { z } from 'zod';
import { OUTPUT_FORMATS, PRESET_NAMES, type OutputFormat, type VectorizeOptions } from '../engine/index.js';
import { ApiError } from './errors.js';
import { UPLOAD_ID_PATTERN } from './uploads/types.js';

const bool = (description: string) => z.stringbool().optional().describe(description);
const number = (min: number, max: number, description: string) =>
  z.coerce.number().min(min).max(max).optional().describe(description);
const integer = (min: number, max: number, description: string) =>
  z.coerce.number().int().min(min).max(max).optional().describe(description);

export const convertParamsSchema = z
  .object({
    color_mode: z
      .enum(['binary', 'grayscale', 'color', 'centerline'])
      .optional()
      .describe(
        "binary (one colour on transparent), grayscale (grey levels), color, or centerline (line art as stroked centre lines). Default binary, or the preset's",
      ),
    preset: z.enum(PRESET_NAMES).optional().describe('Named set of defaults; auto picks one from the image'),
    threshold: z
      .union([z.enum(['auto', 'adaptive']), z.coerce.number().min(0).max(255)])
      .optional()
      .describe('Binary mode: auto (Otsu, following uneven light), adaptive (local mean) or a level 0-255'),
    invert: bool('Binary mode: trace the light parts instead of the dark'),
    colors: z
      .union([z.literal('auto'), z.coerce.number().int().min(2).max(256)])
      .optional()
      .describe('Colour/grayscale modes: number of colours 2-256, or auto'),
    palette: z
      .string()
      .regex(/^\s*#?[0-9a-fA-F]{6}(\s*,\s*#?[0-9a-fA-F]{6})*\s*$/)
      .optional()
      .describe('Colour mode: fixed palette, comma-separated #rrggbb'),
    detail: number(0, 1, '0-1: how closely curves follow the pixels (1 = closest, more nodes)'),
    quality: number(
      0,
      1,
      '0-1: smallest (0) to most faithful (1); sets colors, detail, speckle and curve_tolerance unless given',
    ),
    speckle: integer(0, 1_000_000, 'Regions smaller than this many pixels are dropped or merged'),
    corner_threshold: number(0, 180, 'Degrees: turns sharper than this stay corners'),
    curve_tolerance: number(0.01, 10, 'Pixels a curve may stray from the traced outline'),
    precision: integer(0, 4, 'Decimal places of SVG coordinates'),
    layering: z.enum(['stacked', 'cutout']).optional().describe('Colour modes: stacked (no seams) or cutout'),
    shapes: z
      .enum(['auto', 'off'])
      .optional()
      .describe(
        'Colour modes, stacked: auto writes circles and ellipses as elements and rectangles exactly; off keeps paths',
      ),
    format: z
      .enum(OUTPUT_FORMATS)
      .optional()
      .describe(
        'Output format: svg (default), pdf, eps or dxf (DXF in millimetres). /convert/streaming answers SVG only',
      ),
    units: z
      .enum(['px', 'mm', 'in'])
      .optional()
      .describe('Unit of the SVG width/height (viewBox stays in pixels): px (default), mm or in'),
    dpi: number(
      1,
      100_000,
      "Pixels per inch for units mm/in and PDF/EPS/DXF sizes; default the image's own, else 96",
    ),
    pixel_art: z
      .enum(['auto', 'blocks', 'smooth', 'off'])
      .optional()
      .describe(
        'Colour mode, pixel art: auto (exact nearest-neighbour upscales traced as blocks), blocks, smooth or off',
      ),
    transparent_background: bool('Transparent pixels are background (default true)'),
    resize: bool('Downscale images over MAX_IMAGE_DIMENSION instead of refusing them with 422'),
    enhance: bool('Stretch the contrast (1st-99th percentile of luminance) before tracing'),
    simplify: bool('Prefer fewer nodes: detail 0.25 and curve_tolerance 1.5 unless given'),
    use_cache: bool('Answer from / store in the result cache (default true)'),
    upload_id: z
      .string()
      .regex(UPLOAD_ID_PATTERN)
      .optional()
      .describe('Convert an assembled chunked upload instead of a file'),
  })
  .strict();

export type ConvertParams = z.infer<typeof convertParamsSchema>;

const EXPECTED: Readonly<Record<string, string>> = {
  color_mode: 'binary, grayscale, color or centerline',
  preset: PRESET_NAMES.join(', '),
  threshold: 'auto, adaptive or a number from 0 to 255',
  colors: 'auto or an integer from 2 to 256',
  palette: 'comma-separated colours like #1a2b3c,#ffffff',
  detail: 'a number from 0 to 1',
  quality: 'a number from 0 to 1',
  speckle: 'an integer from 0 to 1000000',
  corner_threshold: 'degrees from 0 to 180',
  curve_tolerance: 'a number from 0.01 to 10',
  precision: 'an integer from 0 to 4',
  layering: 'stacked or cutout',
  shapes: 'auto or off',
  format: 'svg, pdf, eps or dxf',
  units: 'px, mm or in',
  dpi: 'a number from 1 to 100000',
  pixel_art: 'auto, blocks, smooth or off',
  upload_id: '1-64 characters from A-Z a-z 0-9 _ -',
};

/** Parses raw fields; an invalid or unknown one is an INVALID_OPTION error naming it. */
export function parseConvertParams(raw: Record<string, unknown>): ConvertParams {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) fields[k] = Array.isArray(v) ? v[v.length - 1] : v;
  const r = convertParamsSchema.safeParse(fields);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    throw new ApiError(
      'INVALID_OPTION',
      `Unknown option "${issue.keys[0]}"; known options: ${Object.keys(convertParamsSchema.shape).join(', ')}`,
    );
  }
  const name = String(issue.path[0]);
  const expected = EXPECTED[name] ?? 'true or false';
  throw new ApiError(
    'INVALID_OPTION',
    `Option "${name}": expected ${expected}, got ${JSON.stringify(fields[name])}`,
  );
}

export interface ConversionRequest {
  options: VectorizeOptions;
  /** Output format when not SVG (absent: SVG); the SVG is converted on the worker thread. */
  format?: OutputFormat;
  resize: boolean;
  enhance: boolean;
  useCache: boolean;
}

/** Maps API fields onto engine options; only fields given are set, so presets apply. */
export function toConversionRequest(p: ConvertParams): ConversionRequest {
  const o: VectorizeOptions = {};
  if (p.color_mode !== undefined) o.mode = p.color_mode;
  if (p.preset !== undefined) o.preset = p.preset;
  if (p.threshold !== undefined) o.threshold = p.threshold;
  if (p.invert !== undefined) o.invert = p.invert;
  if (p.colors !== undefined) o.colors = p.colors;
  if (p.palette !== undefined) o.palette = p.palette.split(',').map((c) => `#${c.trim().replace(/^#/, '')}`);
  if (p.detail !== undefined) o.detail = p.detail;
  if (p.quality !== undefined) o.quality = p.quality;
  if (p.speckle !== undefined) o.speckle = p.speckle;
  if (p.corner_threshold !== undefined) o.cornerThreshold = p.corner_threshold;
  if (p.curve_tolerance !== undefined) o.curveTolerance = p.curve_tolerance;
  if (p.precision !== undefined) o.precision = p.precision;
  if (p.layering !== undefined) o.layering = p.layering;
  if (p.shapes !== undefined) o.shapes = p.shapes;
  if (p.pixel_art !== undefined) o.pixelArt = p.pixel_art;
  if (p.transparent_background !== undefined) o.transparentAsBackground = p.transparent_background;
  if (p.units !== undefined) o.units = p.units;
  if (p.dpi !== undefined) o.dpi = p.dpi;
  if (p.simplify) {
    o.detail ??= 0.25;
    o.curveTolerance ??= 1.5;
  }
  return {
    options: o,
    ...(p.format !== undefined && p.format !== 'svg' ? { format: p.format } : {}),
    resize: p.resize ?? false,
    enhance: p.enhance ?? false,
    useCache: p.use_cache ?? true,
  };
}
