/**
 * The `quality` dial: one number 0-1 that stands for the knobs which trade
 * fidelity for bytes, so a user can ask for "smaller" or "more faithful"
 * without learning them. `qualitySettings(q)` is a pure mapping; the
 * options resolver applies it between the preset and the explicit options
 * (explicit options win over the dial, the dial wins over the preset).
 *
 * Written-down curve (geometric in colours, speckle and tolerance, linear
 * in detail); measured on the benchmark's photos set, see
 * docs/BENCHMARKS.md "quality dial (issue 11)":
 *
 * | quality | colors | detail | speckle | curveTolerance |
 * |--------:|-------:|-------:|--------:|---------------:|
 * |    0    |    4   |  0.10  |    32   |      0.50      |
 * |   0.25  |    8   |  0.30  |    16   |      0.354     |
 * |   0.5   |   16   |  0.50  |     8   |      0.25      |
 * |   0.75  |   32   |  0.70  |     4   |      0.25      |
 * |    1    |   64   |  0.90  |     2   |      0.25      |
 *
 * colors = round(4 * 16^q), detail = 0.1 + 0.8 q, speckle = round(32 / 16^q),
 * curveTolerance = 0.5 / 4^q down to the default 0.25 (reached at q = 0.5),
 * rounded to 3 decimals. Every knob moves one way as q rises: more
 * colours, closer curves, fewer regions merged, a fit at least as tight,
 * so each step up costs bytes and buys fidelity. The tolerance stops at
 * the default because, measured on the photos set, a tighter fit there
 * cost about 40% more bytes for no SSIM (q = 1 with 0.125: 0.9246 at
 * 668 kB median; with 0.25: 0.9246 at 485 kB).
 */

/** The options the dial derives (each only when not given explicitly). */
export interface QualitySettings {
  readonly colors: number;
  readonly detail: number;
  readonly speckle: number;
  readonly curveTolerance: number;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Maps `quality` (0-1, assumed validated) onto the knobs in the table above. */
export function qualitySettings(quality: number): QualitySettings {
  const q = Math.min(1, Math.max(0, quality));
  return {
    colors: Math.round(4 * 16 ** q),
    detail: round3(0.1 + 0.8 * q),
    speckle: Math.round(32 / 16 ** q),
    curveTolerance: round3(0.5 / 4 ** Math.min(q, 0.5)),
  };
}
