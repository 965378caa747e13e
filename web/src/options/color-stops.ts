/**
 * The scale of the colour-count slider. The service takes 2 to 256 colours;
 * a linear slider over that range would give the few-colour end, where each
 * colour shows, a few pixels of travel. So the slider steps over stops: every
 * count from 2 to 16, then steps that double with each doubling of the count
 * (2 up to 32, 4 up to 64, 8 up to 128, 16 up to 256). Counts between stops
 * are typed in the number box beside it.
 */

/** The API contract's range of `colors`. */
export const MIN_COLORS = 2;
export const MAX_COLORS = 256;

function buildStops(): readonly number[] {
  const stops: number[] = [];
  for (let n = MIN_COLORS; n <= 16; n++) stops.push(n);
  for (let step = 2; stops.at(-1)! < MAX_COLORS; step *= 2) {
    const end = Math.min(16 * step, MAX_COLORS);
    for (let n = stops.at(-1)! + step; n <= end; n += step) stops.push(n);
  }
  return stops;
}

/** Increasing counts from MIN_COLORS to MAX_COLORS: the slider's positions. */
export const COLOR_STOPS: readonly number[] = buildStops();

/** The slider position that shows `colors`: its stop, or the nearest one (the lower on a tie). */
export function colorStopIndex(colors: number): number {
  let best = 0;
  for (let i = 1; i < COLOR_STOPS.length; i++) {
    if (Math.abs(COLOR_STOPS[i] - colors) < Math.abs(COLOR_STOPS[best] - colors)) best = i;
  }
  return best;
}

/** A typed count: a whole number from MIN_COLORS to MAX_COLORS, else null (the box keeps the text). */
export function parseColors(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= MIN_COLORS && n <= MAX_COLORS ? n : null;
}
