/**
 * Stage 1: from ink-oriented luma to the binary ink mask, by the threshold
 * setting (Otsu, adaptive or fixed), plus the ink and paper levels the
 * sub-pixel edge model reads.
 */
import type { ThresholdSetting } from '../options.js';
import { adaptiveInkMask } from './adaptive-threshold.js';
import { inkPaperLevels, lumaHistogram, otsuThreshold } from './histogram.js';

export interface InkMask {
  /** One byte per pixel, row-major: 1 = ink, 0 = paper. */
  readonly mask: Uint8Array;
  /** The global level used (Otsu's for `auto` and `adaptive`): ink is luma < threshold. */
  readonly threshold: number;
  /** Typical luma of ink and paper. */
  readonly inkLevel: number;
  readonly paperLevel: number;
  /**
   * Whether grey levels may place edges between pixels: not for adaptive
   * thresholds (the paper level varies across the page) or low contrast.
   */
  readonly subpixel: boolean;
  /**
   * Pixels between the ink and paper levels by more than an eighth of the
   * contrast (anti-aliased edges, blur); 0 for a bilevel image.
   */
  readonly greyPixels: number;
}

/** Below this ink-paper contrast, grey levels are mostly noise, not coverage. */
const MIN_CONTRAST = 48;

/**
 * `luma` is ink-oriented (see `inkLuma`); `setting` is the public threshold
 * on the original luma, so a fixed level is mirrored when `inverted`.
 */
export function inkMask(
  luma: Uint8Array,
  width: number,
  height: number,
  setting: ThresholdSetting,
  inverted: boolean,
): InkMask {
  const hist = lumaHistogram(luma);
  const otsu = otsuThreshold(hist);
  // A fixed level T means "original luma < T is ink"; inverted, "original > T", i.e. 255 - original < 255 - T.
  const threshold = typeof setting === 'number' ? (inverted ? 255 - setting : setting) : otsu;
  const { ink, paper } = inkPaperLevels(hist, threshold);
  const greyPixels = countBetween(hist, ink, paper);
  if (setting === 'adaptive') {
    // Solid ink: near the ink level and darker than half the global threshold, so paper in shadow stays paper.
    const solidInk = Math.min(ink + (threshold - ink) / 4, threshold / 2);
    return {
      mask: adaptiveInkMask(luma, width, height, solidInk),
      threshold,
      inkLevel: ink,
      paperLevel: paper,
      subpixel: false,
      greyPixels,
    };
  }
  const mask = new Uint8Array(luma.length);
  for (let i = 0; i < luma.length; i++) mask[i] = luma[i] < threshold ? 1 : 0;
  return {
    mask,
    threshold,
    inkLevel: ink,
    paperLevel: paper,
    subpixel: paper - ink >= MIN_CONTRAST,
    greyPixels,
  };
}

/** Pixels of the histogram more than an eighth of the contrast away from both levels, between them. */
function countBetween(hist: Uint32Array, ink: number, paper: number): number {
  const margin = (paper - ink) / 8;
  let n = 0;
  for (let v = 0; v < 256; v++) if (v > ink + margin && v < paper - margin) n += hist[v];
  return n;
}
