/**
 * Colour difference in CIE Lab by the CIEDE2000 formula, as written out in
 * Sharma, Wu and Dalal, "The CIEDE2000 Color-Difference Formula:
 * Implementation Notes, Supplementary Test Data, and Mathematical
 * Observations", Color Research & Application 30(1), 2005. Colours are sRGB
 * (IEC 61966-2-1) with the D65 white point.
 */
import type { Raster } from '../engine/types.js';
import { assertSameSize, composeOn, WHITE, type Rgb } from './compose.js';

export type Lab = readonly [number, number, number];

/** sRGB 8-bit channel to linear light, once per value. */
const LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const XN = 0.95047;
const YN = 1;
const ZN = 1.08883;
const EPS = (6 / 29) ** 3;

function f(t: number): number {
  return t > EPS ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29;
}

/** CIE L*a*b* (D65) of an 8-bit sRGB colour. */
export function srgbToLab(r: number, g: number, b: number): Lab {
  const out = new Float64Array(3);
  labInto(r, g, b, out, 0);
  return [out[0], out[1], out[2]];
}

function labInto(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const R = LINEAR[r];
  const G = LINEAR[g];
  const B = LINEAR[b];
  const fx = f((0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / XN);
  const fy = f((0.2126729 * R + 0.7151522 * G + 0.072175 * B) / YN);
  const fz = f((0.0193339 * R + 0.119192 * G + 0.9503041 * B) / ZN);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

/** Lab of every pixel of an opaque raster, 3 numbers a pixel. */
function labImage(d: Uint8ClampedArray): Float64Array {
  const out = new Float64Array((d.length / 4) * 3);
  for (let i = 0, o = 0; i < d.length; i += 4, o += 3) labInto(d[i], d[i + 1], d[i + 2], out, o);
  return out;
}

const DEG = Math.PI / 180;
const POW25_7 = 25 ** 7;

function pow7(v: number): number {
  const v2 = v * v;
  return v2 * v2 * v2 * v;
}

function hueDeg(b: number, a: number): number {
  if (a === 0 && b === 0) return 0;
  const h = Math.atan2(b, a) / DEG;
  return h < 0 ? h + 360 : h;
}

/** CIEDE2000 difference of two Lab colours (kL = kC = kH = 1). */
export function deltaE2000(lab1: Lab, lab2: Lab): number {
  return de2000(lab1[0], lab1[1], lab1[2], lab2[0], lab2[1], lab2[2]);
}

/** The formula on scalars, so the per-pixel loop allocates nothing. */
function de2000(L1: number, a1: number, b1: number, L2: number, a2: number, b2: number): number {
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const cBar7 = pow7(cBar);
  const g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + POW25_7)));
  const ap1 = (1 + g) * a1;
  const ap2 = (1 + g) * a2;
  const cp1 = Math.hypot(ap1, b1);
  const cp2 = Math.hypot(ap2, b2);
  const hp1 = hueDeg(b1, ap1);
  const hp2 = hueDeg(b2, ap2);

  const dL = L2 - L1;
  const dC = cp2 - cp1;
  let dh = 0;
  if (cp1 * cp2 !== 0) {
    dh = hp2 - hp1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(cp1 * cp2) * Math.sin((dh / 2) * DEG);

  const lBar = (L1 + L2) / 2;
  const cpBar = (cp1 + cp2) / 2;
  let hBar = hp1 + hp2;
  if (cp1 * cp2 !== 0) {
    if (Math.abs(hp1 - hp2) <= 180) hBar /= 2;
    else hBar = hBar < 360 ? (hBar + 360) / 2 : (hBar - 360) / 2;
  }
  const t =
    1 -
    0.17 * Math.cos((hBar - 30) * DEG) +
    0.24 * Math.cos(2 * hBar * DEG) +
    0.32 * Math.cos((3 * hBar + 6) * DEG) -
    0.2 * Math.cos((4 * hBar - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hBar - 275) / 25) ** 2));
  const cpBar7 = pow7(cpBar);
  const rc = 2 * Math.sqrt(cpBar7 / (cpBar7 + POW25_7));
  const l50 = (lBar - 50) ** 2;
  const sl = 1 + (0.015 * l50) / Math.sqrt(20 + l50);
  const sc = 1 + 0.045 * cpBar;
  const sh = 1 + 0.015 * cpBar * t;
  const rt = -Math.sin(2 * dTheta * DEG) * rc;
  const tl = dL / sl;
  const tc = dC / sc;
  const th = dH / sh;
  return Math.sqrt(tl * tl + tc * tc + th * th + rt * tc * th);
}

/**
 * Mean CIEDE2000 difference per pixel between `a` and `b` (same size), both
 * composed on white. 0 for identical images; about 1 is the threshold of a
 * just-noticeable difference, 100 is black against white.
 */
export function meanDeltaE(a: Raster, b: Raster, background: Rgb = WHITE): number {
  assertSameSize(a, b);
  const x = composeOn(a, background).data;
  const y = composeOn(b, background).data;
  const lx = labImage(x);
  const ly = labImage(y);
  let sum = 0;
  for (let i = 0, o = 0; i < x.length; i += 4, o += 3) {
    if (x[i] === y[i] && x[i + 1] === y[i + 1] && x[i + 2] === y[i + 2]) continue;
    sum += de2000(lx[o], lx[o + 1], lx[o + 2], ly[o], ly[o + 1], ly[o + 2]);
  }
  return sum / (x.length / 4);
}
