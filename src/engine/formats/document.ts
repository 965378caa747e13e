/**
 * The drawing the format writers take: the page size in pixels with its
 * unit and dpi, and the painted items in order (fill and/or stroke, path
 * data in pixels). `readSvgDocument` reads it back from the SVG the engine
 * writes (what the caches and background results hold), so every output path
 * (CLI, service, library, browser) converts from the same SVG text.
 */
import { parseHexColor, type Units } from '../options.js';
import { lengthAttr } from '../svg-document.js';
import { parsePathData, type Subpath } from './path-segments.js';

export interface Paint {
  /** 0xRRGGBB. */
  readonly rgb: number;
  /** 0-1. */
  readonly opacity: number;
}

export interface DrawItem {
  readonly subpaths: readonly Subpath[];
  readonly fill: Paint | null;
  readonly fillRule: 'nonzero' | 'evenodd';
  readonly stroke: Paint | null;
  /** Stroke width in pixels. */
  readonly strokeWidth: number;
  readonly lineCap: 'butt' | 'round' | 'square';
  readonly lineJoin: 'miter' | 'round' | 'bevel';
}

export interface VectorDocument {
  /** Size in pixels (the SVG's viewBox). */
  readonly width: number;
  readonly height: number;
  /** The unit the document's size was given in, and the pixels per inch that turn pixels into it. */
  readonly units: Units;
  readonly dpi: number;
  readonly items: readonly DrawItem[];
}

export class DocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentError';
  }
}

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) out[m[1]] = m[2] ?? m[3];
  // style="fill:#fff;stroke-width:2" declarations count as attributes (attributes given as such win).
  if (out.style) {
    for (const decl of out.style.split(';')) {
      const [k, v] = decl.split(':').map((s) => s?.trim());
      if (k && v && !(k in out)) out[k] = v;
    }
  }
  return out;
}

/** A length in px from a width/height attribute and its unit, for the dpi the document implies. */
function lengthOf(value: string | undefined): { value: number; unit: string } | null {
  if (value === undefined) return null;
  const m = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*(px|mm|in|cm|pt)?\s*$/i.exec(value);
  return m ? { value: Number(m[1]), unit: (m[2] ?? 'px').toLowerCase() } : null;
}

/**
 * The dpi a physical width implies. The width was written rounded (to 4
 * decimals), so the ratio is a hair off the dpi it was written with: the
 * roundest dpi that writes the same attribute is taken (72, not 71.9986).
 */
function dpiOf(px: number, unit: 'mm' | 'in', value: number, attr: string): number {
  const raw = unit === 'in' ? px / value : (px * 25.4) / value;
  for (let digits = 0; digits <= 3; digits++) {
    const candidate = Math.round(raw * 10 ** digits) / 10 ** digits;
    if (candidate > 0 && lengthAttr(px, unit, candidate) === attr.trim()) return candidate;
  }
  return raw;
}

/** Named colours the engine and its neighbours may write. */
const NAMED: Readonly<Record<string, number>> = { black: 0x000000, white: 0xffffff };

interface Gradient {
  /** Mean colour of the stops (weighted by the offsets between them) and mean opacity. */
  readonly paint: Paint;
}

function mixStops(stops: { offset: number; rgb: number; opacity: number }[]): Paint | null {
  if (stops.length === 0) return null;
  if (stops.length === 1) return { rgb: stops[0].rgb, opacity: stops[0].opacity };
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 0;
  let total = 0;
  for (let i = 0; i + 1 < stops.length; i++) {
    const w = Math.max(0, stops[i + 1].offset - stops[i].offset);
    for (const s of [stops[i], stops[i + 1]]) {
      r += (w / 2) * (s.rgb >> 16);
      g += (w / 2) * ((s.rgb >> 8) & 255);
      b += (w / 2) * (s.rgb & 255);
      a += (w / 2) * s.opacity;
    }
    total += w;
  }
  if (total === 0) return { rgb: stops[0].rgb, opacity: stops[0].opacity };
  const c = (v: number) => Math.round(v / total);
  return { rgb: (c(r) << 16) | (c(g) << 8) | c(b), opacity: a / total };
}

function number(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = parseFloat(value);
  return Number.isFinite(n) ? n : fallback;
}

function opacityOf(value: string | undefined): number {
  return Math.min(1, Math.max(0, number(value, 1)));
}

/** Path data of the basic shapes (for SVG written with true shapes). */
function shapePath(tag: string, a: Record<string, string>): string | null {
  const n = (k: string) => number(a[k], 0);
  if (tag === 'path') return a.d ?? '';
  if (tag === 'rect') {
    const [x, y, w, h] = [n('x'), n('y'), n('width'), n('height')];
    return w > 0 && h > 0 ? `M${x} ${y}H${x + w}V${y + h}H${x}Z` : '';
  }
  if (tag === 'circle' || tag === 'ellipse') {
    const cx = n('cx');
    const cy = n('cy');
    const rx = tag === 'circle' ? n('r') : n('rx');
    const ry = tag === 'circle' ? n('r') : n('ry');
    if (rx <= 0 || ry <= 0) return '';
    return `M${cx - rx} ${cy}A${rx} ${ry} 0 1 0 ${cx + rx} ${cy}A${rx} ${ry} 0 1 0 ${cx - rx} ${cy}Z`;
  }
  if (tag === 'polygon' || tag === 'polyline') {
    const pts = (a.points ?? '').trim();
    return pts ? `M${pts}${tag === 'polygon' ? 'Z' : ''}` : '';
  }
  if (tag === 'line') return `M${n('x1')} ${n('y1')}L${n('x2')} ${n('y2')}`;
  return null;
}

const INHERITED = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
] as const;

/**
 * Reads the engine's SVG (an `<svg>` with a pixel viewBox, then paths and
 * basic shapes, possibly in groups, with fill, stroke and opacity attributes
 * and linear or radial gradients) into a VectorDocument. A gradient fill is
 * taken as its mean colour (see docs/ENGINE.md, output formats). Transforms,
 * clip paths, masks and text are not part of what the engine writes and are
 * refused with a DocumentError rather than drawn wrongly.
 */
export function readSvgDocument(svg: string): VectorDocument {
  const gradients = new Map<string, Gradient>();
  // Gradients first: a fill may name one defined later in the document.
  const gradientRe =
    /<(linearGradient|radialGradient)\b([^>]*?)(\/?)>([\s\S]*?)(?:<\/\1>|(?=<(?:linear|radial)Gradient)|$)/g;
  for (const m of svg.matchAll(gradientRe)) {
    const a = attributes(m[2]);
    if (!a.id) continue;
    const stops: { offset: number; rgb: number; opacity: number }[] = [];
    for (const s of (m[3] === '/' ? '' : m[4]).matchAll(/<stop\b([^>]*?)\/?>/g)) {
      const sa = attributes(s[1]);
      const rgb = parseHexColor(sa['stop-color'] ?? '#000000') ?? NAMED[sa['stop-color'] ?? ''] ?? 0;
      const off = sa.offset?.endsWith('%') ? parseFloat(sa.offset) / 100 : number(sa.offset, 0);
      stops.push({ offset: Math.min(1, Math.max(0, off)), rgb, opacity: opacityOf(sa['stop-opacity']) });
    }
    const href = a.href ?? a['xlink:href'];
    const paint = mixStops(stops) ?? (href ? gradients.get(href.replace(/^#/, ''))?.paint : undefined);
    if (paint) gradients.set(a.id, { paint });
  }

  let width = 0;
  let height = 0;
  let units: Units = 'px';
  let dpi = 96;
  let seenSvg = false;
  const items: DrawItem[] = [];
  const stack: Record<string, string>[] = [{}];
  let skip = 0;
  const paintOf = (value: string | undefined, opacity: number): Paint | null => {
    if (value === undefined || value === 'none' || value === 'transparent') return null;
    const url = /^url\(\s*#([^)\s]+)\s*\)/.exec(value);
    if (url) {
      const g = gradients.get(url[1]);
      if (!g) throw new DocumentError(`SVG paint refers to an unknown gradient "#${url[1]}"`);
      return { rgb: g.paint.rgb, opacity: g.paint.opacity * opacity };
    }
    const rgb = parseHexColor(value) ?? NAMED[value.trim().toLowerCase()];
    if (rgb === undefined) throw new DocumentError(`SVG colour "${value}" is not one the writers read`);
    return { rgb, opacity };
  };

  for (const m of svg.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (closing) {
      if (skip > 0) skip--;
      else if (tag === 'g' || tag === 'svg') stack.pop();
      continue;
    }
    if (skip > 0) {
      if (!selfClosing) skip++;
      continue;
    }
    const a = attributes(attrText);
    if (a.transform || a['clip-path'] || a.mask || a.filter) {
      throw new DocumentError(
        `SVG <${tag}> has ${Object.keys(a).find((k) => ['transform', 'clip-path', 'mask', 'filter'].includes(k))}, which the PDF, EPS and DXF writers do not draw`,
      );
    }
    if (tag === 'svg') {
      if (seenSvg) throw new DocumentError('nested <svg> elements are not read');
      seenSvg = true;
      const vb = (a.viewBox ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      if (vb.length !== 4 || vb.some((v) => !Number.isFinite(v)) || vb[2] <= 0 || vb[3] <= 0) {
        throw new DocumentError('the <svg> has no usable viewBox');
      }
      if (vb[0] !== 0 || vb[1] !== 0) throw new DocumentError('the viewBox must start at 0 0');
      width = vb[2];
      height = vb[3];
      const w = lengthOf(a.width);
      if (w && (w.unit === 'mm' || w.unit === 'in') && w.value > 0) {
        units = w.unit;
        dpi = dpiOf(width, w.unit, w.value, a.width!);
      }
      const own: Record<string, string> = {};
      for (const k of INHERITED) if (a[k] !== undefined) own[k] = a[k];
      stack.push(own);
      if (selfClosing) stack.pop();
      continue;
    }
    if (
      tag === 'defs' ||
      tag === 'linearGradient' ||
      tag === 'radialGradient' ||
      tag === 'title' ||
      tag === 'desc' ||
      tag === 'metadata' ||
      tag === 'style'
    ) {
      if (!selfClosing) skip = 1;
      continue;
    }
    if (
      tag === 'text' ||
      tag === 'image' ||
      tag === 'use' ||
      tag === 'clipPath' ||
      tag === 'mask' ||
      tag === 'pattern'
    ) {
      throw new DocumentError(`SVG <${tag}> is not drawn by the PDF, EPS and DXF writers`);
    }
    const inherited: Record<string, string> = { ...stack[stack.length - 1] };
    for (const k of INHERITED) if (a[k] !== undefined) inherited[k] = a[k];
    // Group opacity multiplies into both paints (exact for the engine's non-overlapping groups).
    const groupOpacity = number(inherited.opacity, 1) * number(a.opacity, 1);
    if (a.opacity !== undefined || inherited.opacity !== undefined) inherited.opacity = String(groupOpacity);
    if (tag === 'g') {
      if (!selfClosing) stack.push(inherited);
      continue;
    }
    const d = shapePath(tag, a);
    if (d === null) throw new DocumentError(`SVG <${tag}> is not an element the writers read`);
    const subpaths = parsePathData(d);
    const fill = paintOf(inherited.fill ?? '#000000', opacityOf(inherited['fill-opacity']) * groupOpacity);
    const stroke = paintOf(inherited.stroke, opacityOf(inherited['stroke-opacity']) * groupOpacity);
    const strokeWidth = number(inherited['stroke-width'], 1);
    if (subpaths.length > 0 && (fill || (stroke && strokeWidth > 0))) {
      items.push({
        subpaths,
        fill: tag === 'line' ? null : fill,
        fillRule: inherited['fill-rule'] === 'evenodd' ? 'evenodd' : 'nonzero',
        stroke: stroke && strokeWidth > 0 ? stroke : null,
        strokeWidth,
        lineCap: (['round', 'square'] as const).find((c) => c === inherited['stroke-linecap']) ?? 'butt',
        lineJoin: (['round', 'bevel'] as const).find((c) => c === inherited['stroke-linejoin']) ?? 'miter',
      });
    }
  }
  if (!seenSvg) throw new DocumentError('no <svg> element');
  return { width, height, units, dpi, items };
}

/** The page size in PostScript points (1/72 in) of a document at its dpi. */
export function pageSizePt(doc: VectorDocument): { width: number; height: number; scale: number } {
  const scale = 72 / doc.dpi;
  return { width: doc.width * scale, height: doc.height * scale, scale };
}
