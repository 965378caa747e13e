/**
 * PDF writer (PDF 1.4, one page): fills and strokes in DeviceRGB, opacity
 * through ExtGState (/ca fill, /CA stroke), nonzero (f) and even-odd (f*)
 * fills, cubic curves as `c`. The page is the document's physical size
 * (pixels / dpi x 72 pt; 96 dpi when the SVG is in pixels, as CSS); one
 * transform maps the pixel coordinates onto it with y pointing down. The
 * file is plain ASCII with an uncompressed content stream, so it is a string
 * like the other formats and its byte offsets are its character offsets.
 */
import { pageSizePt, type DrawItem, type Paint, type VectorDocument } from './document.js';
import type { Subpath } from './path-segments.js';

/** A number for a content stream: at most `digits` decimals, no exponent, no `-0`. */
export function pdfNumber(v: number, digits = 3): string {
  const s = (Math.round(v * 10 ** digits) / 10 ** digits).toFixed(digits).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

export function colourOperands(rgb: number): string {
  return [rgb >> 16, (rgb >> 8) & 255, rgb & 255].map((c) => pdfNumber(c / 255, 4)).join(' ');
}

/** Path construction operators (m l c h) for the subpaths, shared by the PDF and EPS writers. */
export function pathOperators(
  subpaths: readonly Subpath[],
  ops: { move: string; line: string; curve: string; close: string },
): string {
  const n = (v: number) => pdfNumber(v);
  const out: string[] = [];
  for (const sp of subpaths) {
    out.push(`${n(sp.x)} ${n(sp.y)} ${ops.move}`);
    for (const s of sp.segments) {
      out.push(
        s.kind === 'L'
          ? `${n(s.x)} ${n(s.y)} ${ops.line}`
          : `${n(s.x1)} ${n(s.y1)} ${n(s.x2)} ${n(s.y2)} ${n(s.x)} ${n(s.y)} ${ops.curve}`,
      );
    }
    if (sp.closed) out.push(ops.close);
  }
  return out.join('\n');
}

const CAPS = { butt: 0, round: 1, square: 2 } as const;
const JOINS = { miter: 0, round: 1, bevel: 2 } as const;

class GraphicsStates {
  readonly names = new Map<string, string>();
  name(fill: number, stroke: number): string | null {
    if (fill >= 1 && stroke >= 1) return null;
    const key = `${pdfNumber(fill, 4)} ${pdfNumber(stroke, 4)}`;
    let name = this.names.get(key);
    if (!name) {
      name = `GS${this.names.size}`;
      this.names.set(key, name);
    }
    return name;
  }
  dictionary(): string {
    const entries = [...this.names].map(([key, name]) => {
      const [ca, CA] = key.split(' ');
      return `/${name} << /Type /ExtGState /ca ${ca} /CA ${CA} >>`;
    });
    return `<< ${entries.join(' ')} >>`;
  }
}

function itemOperators(item: DrawItem, states: GraphicsStates, strokeScale: number): string {
  const out: string[] = ['q'];
  const fill: Paint | null = item.fill;
  const stroke: Paint | null = item.stroke;
  const gs = states.name(fill?.opacity ?? 1, stroke?.opacity ?? 1);
  if (gs) out.push(`/${gs} gs`);
  if (fill) out.push(`${colourOperands(fill.rgb)} rg`);
  if (stroke) {
    out.push(`${colourOperands(stroke.rgb)} RG`);
    out.push(
      `${pdfNumber(item.strokeWidth * strokeScale)} w ${CAPS[item.lineCap]} J ${JOINS[item.lineJoin]} j`,
    );
  }
  out.push(pathOperators(item.subpaths, { move: 'm', line: 'l', curve: 'c', close: 'h' }));
  const eo = item.fillRule === 'evenodd' ? '*' : '';
  out.push(fill && stroke ? `B${eo}` : fill ? `f${eo}` : 'S');
  out.push('Q');
  return out.join('\n');
}

/** The document as a one-page PDF (text). */
export function writePdf(doc: VectorDocument): string {
  const page = pageSizePt(doc);
  const states = new GraphicsStates();
  // Pixels to points, y down: [s 0 0 -s 0 H]. Stroke widths are in pixels, as in the SVG (w is in user space).
  const content = [
    `${pdfNumber(page.scale, 6)} 0 0 ${pdfNumber(-page.scale, 6)} 0 ${pdfNumber(page.height, 4)} cm`,
    ...doc.items.map((item) => itemOperators(item, states, 1)),
  ].join('\n');
  const mediaBox = `[0 0 ${pdfNumber(page.width, 4)} ${pdfNumber(page.height, 4)}]`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} /Resources << /ExtGState ${states.dictionary()} >> /Contents 4 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Producer (image2svg) >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}
