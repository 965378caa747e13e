/**
 * Stage 3: boundary decomposition. Every boundary between ink and paper is
 * walked once along the pixel-corner lattice with ink on the right, after
 * P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), section
 * 2.1. Instead of potrace's inversion of each traced path, horizontal
 * boundary edges are marked in a bitset as they are walked; a raster scan
 * starts a new ring at every unmarked edge, an outer ring when ink lies below
 * it, a hole when ink lies above. Cost: one pass over the pixels plus the
 * boundary length.
 *
 * Where two ink pixels touch only at a corner, the minority turn policy
 * (potrace's default) decides: the colour that is rarer around the point is
 * the one kept connected, so thin strokes of either colour survive.
 */
import type { Rings } from './rings.js';
import { keepShape } from '../keep-shapes.js';

// Directions: 0 = +x, 1 = +y (down), 2 = -x, 3 = -y. A left turn on screen is d + 3.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
// Pixel ahead-left and ahead-right of lattice point (x, y) when moving in direction d.
const AHEAD_LEFT_X = [0, 0, -1, -1];
const AHEAD_LEFT_Y = [-1, 0, 0, -1];
const AHEAD_RIGHT_X = [0, -1, -1, 0];
const AHEAD_RIGHT_Y = [0, 0, -1, -1];

/** True when ink is the minority colour in the squares of radius 2, 3, 4 around lattice point (x, y); ties keep ink connected. */
export function inkIsMinority(
  mask: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
): boolean {
  for (let r = 2; r <= 4; r++) {
    let ink = 0;
    for (let py = y - r; py < y + r; py++) {
      if (py < 0 || py >= height) continue;
      const row = py * width;
      for (let px = x - r; px < x + r; px++) if (px >= 0 && px < width) ink += mask[row + px];
    }
    const total = 4 * r * r;
    if (2 * ink !== total) return 2 * ink < total;
  }
  return true;
}

class RingSink {
  points = new Int32Array(1024);
  starts: number[] = [0];
  areas: number[] = [];
  n = 0;

  /** Appends one ring's corners (x,y pairs in `buf[0 .. 2 * count)`), rotated so its top-left corner comes first. */
  push(buf: Int32Array, count: number): void {
    let first = 0;
    for (let i = 1; i < count; i++) {
      const y = buf[2 * i + 1];
      const fy = buf[2 * first + 1];
      if (y < fy || (y === fy && buf[2 * i] < buf[2 * first])) first = i;
    }
    if (2 * (this.n + count) > this.points.length) {
      const next = new Int32Array(Math.max(this.points.length * 2, 2 * (this.n + count)));
      next.set(this.points);
      this.points = next;
    }
    let area = 0;
    for (let k = 0; k < count; k++) {
      const i = (first + k) % count;
      const j = (i + 1) % count;
      this.points[2 * (this.n + k)] = buf[2 * i];
      this.points[2 * (this.n + k) + 1] = buf[2 * i + 1];
      area += buf[2 * i] * buf[2 * j + 1] - buf[2 * j] * buf[2 * i + 1];
    }
    this.n += count;
    this.starts.push(this.n);
    this.areas.push(area / 2);
  }
}

/** Traces every ink/paper boundary of `mask` (1 = ink, row-major) into rings. */
export function decompose(mask: Uint8Array, width: number, height: number): Rings {
  const visited = new Uint32Array((width * height + 31) >>> 5);
  const sink = new RingSink();
  let buf = new Int32Array(256);
  const ink = (x: number, y: number): number =>
    x >= 0 && y >= 0 && x < width && y < height ? mask[y * width + x] : 0;

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const below = mask[i];
      const above = y > 0 ? mask[i - width] : 0;
      if (below === above || visited[i >>> 5] & (1 << (i & 31))) continue;
      // Start on the edge's left end going +x (ink below), or its right end going -x (ink above).
      const x0 = below ? x : x + 1;
      const d0 = below ? 0 : 2;
      let px = x0;
      let py = y;
      let d = d0;
      let count = 0;
      do {
        // Mark the horizontal edge walked next, on the pixel below it.
        if (d === 0 || d === 2) {
          const ex = d === 0 ? px : px - 1;
          if (py < height) {
            const e = py * width + ex;
            visited[e >>> 5] |= 1 << (e & 31);
          }
        }
        px += DX[d];
        py += DY[d];
        const left = ink(px + AHEAD_LEFT_X[d], py + AHEAD_LEFT_Y[d]);
        const right = ink(px + AHEAD_RIGHT_X[d], py + AHEAD_RIGHT_Y[d]);
        let next: number;
        if (right && !left) next = d;
        else if (right && left) next = (d + 3) & 3;
        else if (!right && !left) next = (d + 1) & 3;
        else next = inkIsMinority(mask, width, height, px, py) ? (d + 3) & 3 : (d + 1) & 3;
        if (next !== d) {
          if (2 * count + 2 > buf.length) {
            const grown = new Int32Array(buf.length * 2);
            grown.set(buf);
            buf = grown;
          }
          buf[2 * count] = px;
          buf[2 * count + 1] = py;
          count++;
          d = next;
        }
      } while (px !== x0 || py !== y || d !== d0);
      sink.push(buf, count);
    }
  }
  return {
    points: sink.points.slice(0, 2 * sink.n),
    start: Int32Array.from(sink.starts),
    area: Float64Array.from(sink.areas),
  };
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new RingSink());
