/**
 * The output formats the service writes besides SVG (PDF, EPS, DXF as they
 * arrive), read from its OpenAPI document: the `format` parameter of
 * `POST /convert` and its enum. A service without it offers SVG only, and
 * the UI shows no other format.
 */
import { apiFetch } from './http.js';

interface Parameter {
  readonly name?: string;
  readonly schema?: { readonly enum?: unknown; readonly anyOf?: readonly { readonly enum?: unknown }[] };
}

function enumOf(parameter: Parameter): string[] {
  const lists = [parameter.schema?.enum, ...(parameter.schema?.anyOf ?? []).map((s) => s.enum)];
  return lists.flatMap((list) =>
    Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [],
  );
}

export async function fetchOutputFormats(apiKey: string, signal?: AbortSignal): Promise<string[]> {
  const response = await apiFetch(
    '/docs/json',
    { apiKey, signal },
    { headers: { Accept: 'application/json' } },
  );
  const spec = (await response.json()) as { paths?: Record<string, { post?: { parameters?: Parameter[] } }> };
  const convert = spec.paths?.['/convert']?.post?.parameters ?? [];
  const format = convert.find((p) => p.name === 'format');
  return format ? enumOf(format).filter((f) => f !== 'svg') : [];
}

const TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  eps: 'application/postscript',
  dxf: 'application/dxf',
};

export function formatType(format: string): string {
  return TYPES[format] ?? 'application/octet-stream';
}
