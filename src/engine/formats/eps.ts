/**
 * EPS writer (Encapsulated PostScript 3.0, PostScript level 2 operators):
 * fills (fill / eofill) and strokes in RGB, cubic curves as curveto, the
 * bounding box at the document's physical size in points. PostScript has no
 * transparency: a translucent paint is written opaque, as its colour
 * composited over white by its opacity (what it looks like on white paper);
 * overlapping translucent paints therefore differ from the SVG.
 */
import { pageSizePt, type DrawItem, type Paint, type VectorDocument } from './document.js';
import { colourOperands, pathOperators, pdfNumber } from './pdf.js';

const CAPS = { butt: 0, round: 1, square: 2 } as const;
const JOINS = { miter: 0, round: 1, bevel: 2 } as const;

/** A paint as an opaque colour: over white by its opacity. */
export function overWhite(p: Paint): number {
  const a = p.opacity;
  const c = (v: number) => Math.round(v * a + 255 * (1 - a));
  return (c(p.rgb >> 16) << 16) | (c((p.rgb >> 8) & 255) << 8) | c(p.rgb & 255);
}

function itemProgram(item: DrawItem): string {
  const path = pathOperators(item.subpaths, { move: 'm', line: 'l', curve: 'c', close: 'h' });
  const out = ['n', path];
  const fillOp = item.fillRule === 'evenodd' ? 'eofill' : 'fill';
  if (item.fill && item.stroke) {
    out.push(`gsave ${colourOperands(overWhite(item.fill))} rgb ${fillOp} grestore`);
  } else if (item.fill) {
    out.push(`${colourOperands(overWhite(item.fill))} rgb ${fillOp}`);
  }
  if (item.stroke) {
    out.push(
      `${colourOperands(overWhite(item.stroke))} rgb ${pdfNumber(item.strokeWidth)} setlinewidth ${CAPS[item.lineCap]} setlinecap ${JOINS[item.lineJoin]} setlinejoin stroke`,
    );
  }
  return out.join('\n');
}

/** The document as EPS (text). */
export function writeEps(doc: VectorDocument): string {
  const page = pageSizePt(doc);
  const w = pdfNumber(page.width, 4);
  const h = pdfNumber(page.height, 4);
  return [
    '%!PS-Adobe-3.0 EPSF-3.0',
    `%%BoundingBox: 0 0 ${Math.ceil(page.width)} ${Math.ceil(page.height)}`,
    `%%HiResBoundingBox: 0 0 ${w} ${h}`,
    '%%Creator: image2svg',
    '%%LanguageLevel: 2',
    '%%Pages: 1',
    '%%EndComments',
    '%%BeginProlog',
    '/m /moveto load def /l /lineto load def /c /curveto load def /h /closepath load def',
    '/n /newpath load def /rgb /setrgbcolor load def',
    '%%EndProlog',
    '%%Page: 1 1',
    'save',
    // Pixels to points with y down, as in the SVG.
    `0 ${h} translate ${pdfNumber(page.scale, 6)} ${pdfNumber(-page.scale, 6)} scale`,
    ...doc.items.map(itemProgram),
    'restore',
    'showpage',
    '%%EOF',
    '',
  ].join('\n');
}
