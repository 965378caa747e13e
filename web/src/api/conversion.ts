import { apiFetch, type RequestContext } from './http.js';

/** What a person sees about one result, from the response headers (or the task's stats). */
export interface ConversionStats {
  readonly bytes: number;
  readonly paths: number | null;
  readonly nodes: number | null;
  /** Processing time on the service, in seconds. */
  readonly seconds: number | null;
  readonly cache: 'HIT' | 'MISS' | null;
  /** The preset used, or the one `auto` picked. */
  readonly preset: string | null;
  readonly via: 'direct' | 'background' | 'local';
}

export interface Conversion {
  readonly svg: string;
  readonly stats: ConversionStats;
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function headerCache(headers: Headers): 'HIT' | 'MISS' | null {
  const value = headers.get('x-cache')?.toUpperCase();
  return value === 'HIT' || value === 'MISS' ? value : null;
}

/** Reads an SVG answer and its X-* statistics headers. */
export async function readConversion(
  response: Response,
  via: ConversionStats['via'],
  fallback: Partial<ConversionStats> = {},
): Promise<Conversion> {
  const svg = await response.text();
  const h = response.headers;
  return {
    svg,
    stats: {
      bytes: headerNumber(h, 'x-svg-bytes') ?? fallback.bytes ?? new TextEncoder().encode(svg).length,
      paths: headerNumber(h, 'x-paths') ?? fallback.paths ?? null,
      nodes: headerNumber(h, 'x-nodes') ?? fallback.nodes ?? null,
      seconds: headerNumber(h, 'x-processing-time') ?? fallback.seconds ?? null,
      cache: headerCache(h) ?? fallback.cache ?? null,
      preset: h.get('x-preset') ?? fallback.preset ?? null,
      via,
    },
  };
}

export function fileForm(file: File): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
}

/** `POST /api/convert`: one request, the SVG in the answer. For small single images. */
export async function convertDirect(
  file: File,
  query: URLSearchParams,
  ctx: RequestContext,
): Promise<Conversion> {
  const response = await apiFetch('/convert', ctx, { method: 'POST', body: fileForm(file) }, query);
  return readConversion(response, 'direct');
}
