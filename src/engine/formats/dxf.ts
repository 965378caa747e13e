/**
 * DXF writer (AutoCAD R12 ASCII, AC1009, the version every CAD program and
 * cutter reads): each subpath a POLYLINE of VERTEXes (closed flag for closed
 * subpaths), curves flattened to within 0.05 px, coordinates in millimetres
 * (pixels / dpi x 25.4) with y up. Fills go on a layer named `FILL_RRGGBB`,
 * strokes on `STROKE_RRGGBB` (as their centre lines, the width as the
 * polyline's constant width), the layer colour the nearest AutoCAD colour
 * index. DXF has no fill rule and no opacity: outlines are what a cutter or
 * CAD program needs, holes are their own closed polylines.
 */
import type { VectorDocument } from './document.js';
import { flattenSubpath } from './path-segments.js';

/** Flattening tolerance in pixels. */
const TOLERANCE = 0.05;

/** The AutoCAD Colour Index palette's first 9 colours, and a 6x6x6-ish search over the rest. */
function aciRgb(i: number): number {
  const basic = [0, 0xff0000, 0xffff00, 0x00ff00, 0x00ffff, 0x0000ff, 0xff00ff, 0xffffff, 0x808080, 0xc0c0c0];
  if (i < 10) return basic[i];
  if (i >= 250) {
    const g = Math.round(51 + ((i - 250) * (255 - 51)) / 5);
    return (g << 16) | (g << 8) | g;
  }
  // 10-249: 24 hues x 5 shades x 2 saturations.
  const hue = Math.floor((i - 10) / 10) * 15;
  const shade = [1, 0.8, 0.6, 0.5, 0.3][Math.floor(((i - 10) % 10) / 2)];
  const sat = (i - 10) % 2 === 0 ? 1 : 0.5;
  const hsv = (h: number): number => {
    const f = (n: number) => {
      const k = (n + h / 60) % 6;
      return shade * (1 - sat * Math.max(0, Math.min(k, 4 - k, 1)));
    };
    return (Math.round(f(5) * 255) << 16) | (Math.round(f(3) * 255) << 8) | Math.round(f(1) * 255);
  };
  return hsv(hue);
}

/** The nearest AutoCAD colour index (1-255; 7 is black or white by background). */
export function nearestAci(rgb: number): number {
  let best = 7;
  let bestD = Infinity;
  for (let i = 1; i < 256; i++) {
    const c = i === 7 ? 0 : aciRgb(i);
    const d =
      ((c >> 16) - (rgb >> 16)) ** 2 +
      (((c >> 8) & 255) - ((rgb >> 8) & 255)) ** 2 +
      ((c & 255) - (rgb & 255)) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

function hex(rgb: number): string {
  return rgb.toString(16).padStart(6, '0').toUpperCase();
}

/** Millimetres with 4 decimals (0.1 µm), shortest form. */
function mm(v: number): string {
  const s = (Math.round(v * 1e4) / 1e4).toFixed(4).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** The document as DXF R12 (text, CRLF-free: readers take LF). */
export function writeDxf(doc: VectorDocument): string {
  const k = 25.4 / doc.dpi;
  const H = doc.height;
  const layers = new Map<string, number>();
  const entities: string[] = [];
  const pair = (code: number, value: string | number) => `${code}\n${value}`;
  const polyline = (layer: string, pts: number[], closed: boolean, width: number): void => {
    const lines = [pair(0, 'POLYLINE'), pair(8, layer), pair(66, 1), pair(10, 0), pair(20, 0), pair(30, 0)];
    lines.push(pair(70, closed ? 1 : 0));
    if (width > 0) lines.push(pair(40, mm(width * k)), pair(41, mm(width * k)));
    for (let i = 0; i < pts.length; i += 2) {
      lines.push(
        pair(0, 'VERTEX'),
        pair(8, layer),
        pair(10, mm(pts[i] * k)),
        pair(20, mm((H - pts[i + 1]) * k)),
        pair(30, 0),
      );
    }
    lines.push(pair(0, 'SEQEND'), pair(8, layer));
    entities.push(lines.join('\n'));
  };
  for (const item of doc.items) {
    for (const sp of item.subpaths) {
      const pts = flattenSubpath(sp, TOLERANCE);
      if (pts.length < 4) continue;
      if (item.fill) {
        const layer = `FILL_${hex(item.fill.rgb)}`;
        layers.set(layer, nearestAci(item.fill.rgb));
        polyline(layer, pts, true, 0);
      }
      if (item.stroke) {
        const layer = `STROKE_${hex(item.stroke.rgb)}`;
        layers.set(layer, nearestAci(item.stroke.rgb));
        polyline(layer, pts, sp.closed, item.strokeWidth);
      }
    }
  }
  const W = mm(doc.width * k);
  const Hm = mm(doc.height * k);
  const header = [
    pair(0, 'SECTION'),
    pair(2, 'HEADER'),
    pair(9, '$ACADVER'),
    pair(1, 'AC1009'),
    pair(9, '$INSBASE'),
    pair(10, 0),
    pair(20, 0),
    pair(30, 0),
    pair(9, '$EXTMIN'),
    pair(10, 0),
    pair(20, 0),
    pair(30, 0),
    pair(9, '$EXTMAX'),
    pair(10, W),
    pair(20, Hm),
    pair(30, 0),
    pair(9, '$LIMMIN'),
    pair(10, 0),
    pair(20, 0),
    pair(9, '$LIMMAX'),
    pair(10, W),
    pair(20, Hm),
    pair(0, 'ENDSEC'),
  ];
  const layerTable = [
    pair(0, 'SECTION'),
    pair(2, 'TABLES'),
    pair(0, 'TABLE'),
    pair(2, 'LAYER'),
    pair(70, layers.size + 1),
  ];
  for (const [name, aci] of [['0', 7] as const, ...layers]) {
    layerTable.push(pair(0, 'LAYER'), pair(2, name), pair(70, 0), pair(62, aci), pair(6, 'CONTINUOUS'));
  }
  layerTable.push(pair(0, 'ENDTAB'), pair(0, 'ENDSEC'));
  return [
    ...header,
    ...layerTable,
    pair(0, 'SECTION'),
    pair(2, 'ENTITIES'),
    ...entities,
    pair(0, 'ENDSEC'),
    pair(0, 'EOF'),
    '',
  ].join('\n');
}
