/**
 * Size limits, checked against the header before any pixel is decoded, so a
 * small file that declares a huge image (a pixel bomb) costs nothing.
 */
import { DecodeError } from './decode-error.js';
import type { DecodeLimits, ImageHeader } from './types.js';

export const DEFAULT_MAX_PIXELS = 268_402_689;
export const DEFAULT_MAX_SIDE = 16_384;

export interface ResolvedLimits {
  readonly maxPixels: number;
  readonly maxSide: number;
  readonly resize: boolean;
}

function positiveInteger(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`Decode limit "${name}": expected a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function resolveLimits(limits: DecodeLimits = {}): ResolvedLimits {
  return {
    maxPixels: positiveInteger('maxPixels', limits.maxPixels, DEFAULT_MAX_PIXELS),
    maxSide: positiveInteger('maxSide', limits.maxSide, DEFAULT_MAX_SIDE),
    resize: limits.resize ?? false,
  };
}

/**
 * Refuses an image over the pixel limit (always: the decoder would have to
 * hold every pixel before it could downscale) or over the side limit (unless
 * `resize`). Returns the size to downscale to, or null to keep the size.
 */
export function checkLimits(
  header: ImageHeader,
  limits: ResolvedLimits,
): { width: number; height: number } | null {
  const { width, height } = header;
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new DecodeError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}x${height} (${pixels} pixels); the limit is ${limits.maxPixels} pixels`,
    );
  }
  const side = Math.max(width, height);
  if (side <= limits.maxSide) return null;
  if (!limits.resize) {
    throw new DecodeError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}x${height}; the largest side allowed is ${limits.maxSide} px (ask for a downscale with resize)`,
    );
  }
  const scale = limits.maxSide / side;
  return {
    width: Math.max(1, Math.min(limits.maxSide, Math.round(width * scale))),
    height: Math.max(1, Math.min(limits.maxSide, Math.round(height * scale))),
  };
}
