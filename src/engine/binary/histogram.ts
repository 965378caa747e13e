/**
 * Stage 1b: global threshold from the luma histogram, by Otsu's method
 * (N. Otsu, "A Threshold Selection Method from Gray-Level Histograms", IEEE
 * SMC 1979): the level that maximises the between-class variance.
 */

/** Counts of each luma value 0-255. */
export function lumaHistogram(luma: Uint8Array): Uint32Array {
  const h = new Uint32Array(256);
  for (let i = 0; i < luma.length; i++) h[luma[i]]++;
  return h;
}

/**
 * Otsu's threshold `t`: a pixel is ink when its luma is below `t` (1-255).
 * When several levels tie (a histogram with empty bins between its two
 * classes), the middle of the tie is taken, so two-colour images split
 * halfway. An image of one grey level gets 128.
 */
export function otsuThreshold(hist: Uint32Array): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i];
    sum += i * hist[i];
  }
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let first = -1;
  let last = -1;
  for (let t = 1; t < 256; t++) {
    w0 += hist[t - 1];
    sum0 += (t - 1) * hist[t - 1];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const d = sum0 / w0 - (sum - sum0) / w1;
    const v = w0 * w1 * d * d;
    if (v > best * (1 + 1e-12)) {
      best = v;
      first = last = t;
    } else if (v >= best * (1 - 1e-12)) {
      last = t;
    }
  }
  return first < 0 ? 128 : Math.round((first + last) / 2);
}

/**
 * Typical luma of ink and of paper: the most frequent level on each side of
 * the threshold. Modes, not means, so anti-aliased edge pixels do not pull
 * the levels towards each other. A side with no pixels gets 0 or 255.
 */
export function inkPaperLevels(hist: Uint32Array, threshold: number): { ink: number; paper: number } {
  let ink = 0;
  let paper = 255;
  let inkCount = 0;
  let paperCount = 0;
  for (let i = 0; i < 256; i++) {
    if (i < threshold) {
      if (hist[i] > inkCount) [ink, inkCount] = [i, hist[i]];
    } else if (hist[i] > paperCount) [paper, paperCount] = [i, hist[i]];
  }
  return { ink, paper };
}
