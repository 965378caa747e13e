/**
 * Admission by pixel budget (PIXEL_BUDGET): the conversions running at once
 * in this process may together hold at most `limit` decoded pixels, since a
 * conversion's memory (the RGBA raster, the engine's per-pixel planes, the
 * decoder's buffers) grows with its pixel count, not its file size: a 300 KB
 * PNG can be 8192 x 8192.
 *
 * Waiting conversions are considered in arrival order, and the first that
 * fits what is left starts. A conversion that does not fit lets smaller ones
 * behind it start (small images keep flowing while a big one waits), but only
 * `maxPasses` times: after that nothing behind it starts until it has, so a
 * big image is never starved by a stream of small ones.
 *
 * Pure bookkeeping with no clock or thread: the worker pool calls it.
 */

export interface Waiting {
  /** Pixels the conversion will decode (0 when unknown: it always fits). */
  readonly pixels: number;
  /** How many conversions behind it have started ahead of it. */
  passes: number;
}

export class PixelBudget {
  #used = 0;

  /**
   * @param limit most pixels decoded at once; Infinity for no budget
   * @param maxPasses how many later conversions may start ahead of one that waits for room
   */
  constructor(
    readonly limit: number,
    readonly maxPasses: number,
  ) {}

  /** Pixels held by the conversions running now. */
  get used(): number {
    return this.#used;
  }

  /** True when a conversion of `pixels` can never run here: it alone is over the budget. */
  exceeds(pixels: number): boolean {
    return pixels > this.limit;
  }

  fits(pixels: number): boolean {
    return this.#used + pixels <= this.limit;
  }

  take(pixels: number): void {
    this.#used += pixels;
  }

  release(pixels: number): void {
    this.#used = Math.max(0, this.#used - pixels);
  }

  /**
   * Index in `waiting` (arrival order) of the conversion to start now, or -1
   * when none may. Counts a pass against every conversion it skips over.
   */
  next(waiting: readonly Waiting[]): number {
    const i = this.peek(waiting);
    for (let j = 0; j < i; j++) waiting[j].passes++;
    return i;
  }

  /** What `next` would answer, counting nothing. */
  peek(waiting: readonly Waiting[]): number {
    for (let i = 0; i < waiting.length; i++) {
      if (this.fits(waiting[i].pixels)) return i;
      if (waiting[i].passes >= this.maxPasses) return -1;
    }
    return -1;
  }

  /** Whether a newcomer of `pixels` would start now, behind `waiting`: it fits and nobody ahead bars it. */
  admitsNow(waiting: readonly Waiting[], pixels: number): boolean {
    if (!this.fits(pixels)) return false;
    for (const w of waiting) if (this.fits(w.pixels) || w.passes >= this.maxPasses) return false;
    return true;
  }
}
