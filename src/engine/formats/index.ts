/**
 * Output formats beside SVG. Each writer takes the VectorDocument read from
 * the engine's SVG (document.ts) and returns the file as text: PDF and EPS
 * for print and illustration programs, DXF for CAD and cutters. Written
 * here, without a library, so they run wherever the engine runs (browser,
 * worker, Node) and stay small: see docs/ENGINE.md, output formats.
 */
import { readSvgDocument, type VectorDocument } from './document.js';
import { writeDxf } from './dxf.js';
import { writeEps } from './eps.js';
import { writePdf } from './pdf.js';

export const OUTPUT_FORMATS = ['svg', 'pdf', 'eps', 'dxf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const FORMAT_INFO: Readonly<
  Record<OutputFormat, { readonly mimeType: string; readonly extension: string }>
> = {
  svg: { mimeType: 'image/svg+xml; charset=utf-8', extension: '.svg' },
  pdf: { mimeType: 'application/pdf', extension: '.pdf' },
  eps: { mimeType: 'application/postscript', extension: '.eps' },
  dxf: { mimeType: 'image/vnd.dxf', extension: '.dxf' },
};

const WRITERS: Readonly<Record<Exclude<OutputFormat, 'svg'>, (doc: VectorDocument) => string>> = {
  pdf: writePdf,
  eps: writeEps,
  dxf: writeDxf,
};

export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The engine's SVG in `format` (SVG itself unchanged). Throws DocumentError for SVG the writers cannot read. */
export function convertSvg(svg: string, format: OutputFormat): string {
  if (format === 'svg') return svg;
  return WRITERS[format](readSvgDocument(svg));
}

export { readSvgDocument, pageSizePt, DocumentError } from './document.js';
export type { VectorDocument, DrawItem, Paint } from './document.js';
export { parsePathData, flattenSubpath, PathDataError } from './path-segments.js';
export type { Segment, Subpath } from './path-segments.js';
export { writePdf } from './pdf.js';
export { writeEps } from './eps.js';
export { writeDxf } from './dxf.js';
