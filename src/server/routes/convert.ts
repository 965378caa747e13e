/** POST /convert, /convert/streaming and /convert/background. */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { convertParamsSchema, parseConvertParams } from '../convert-params.js';
import type { ConversionResult } from '../converter.js';
import { FORMAT_INFO } from '../../engine/index.js';
import { ApiError } from '../errors.js';
import { readConversionInput, type ConversionInput } from '../input.js';
import { dedupeKeyFor, recordFor, scopedUploads } from '../ownership.js';
import { apiPrefix, type Service } from '../service.js';
import { documentedOnly, schemaOf } from '../validation.js';

/** Every SVG answer: nosniff, and a CSP so an SVG opened directly can run nothing even if it tried. */
export const SVG_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
};

/** Parsed once here: the handler reads the typed options from req.query (input.ts). */
const querystring = schemaOf(convertParamsSchema, (data) =>
  parseConvertParams(data as Record<string, unknown>),
);

const body = documentedOnly({
  type: 'object',
  properties: {
    file: { type: 'string', format: 'binary', description: 'The image (PNG, JPEG, GIF, BMP, TIFF or WebP)' },
    ...(querystring.properties as object),
  },
});

const taskAccepted = schemaOf(
  z.object({ task_id: z.string(), status: z.literal('pending'), status_url: z.string() }),
);

function routeSchema(summary: string, description: string, extra: Record<string, unknown> = {}) {
  return {
    summary,
    description,
    consumes: ['multipart/form-data', 'application/octet-stream', 'image/*'],
    querystring,
    body,
    ...extra,
  };
}

/** The headers of an SVG answer: security, X-Cache, timing and stats (also a background task's result). */
export function svgHeaders(result: ConversionResult, t0: number): Record<string, string> {
  const h: Record<string, string> = {
    ...SVG_SECURITY_HEADERS,
    'X-Cache': result.cached ? 'HIT' : 'MISS',
    'X-Processing-Time': ((performance.now() - t0) / 1000).toFixed(4),
    'X-Paths': String(result.stats.paths),
    'X-Nodes': String(result.stats.nodes),
    'X-Svg-Bytes': String(result.stats.bytes),
    'X-Shapes': String(result.stats.shapes ?? 0),
    'X-Soft-Layers': String(result.stats.softLayers ?? 0),
  };
  if (result.stats.preset) h['X-Preset'] = result.stats.preset;
  if (result.engineMs !== null) h['X-Engine-Time'] = (result.engineMs / 1000).toFixed(6);
  return h;
}

/**
 * Content-Type (and, for PDF, EPS and DXF, a Content-Disposition file name
 * `<name>.<ext>`) of an answer in the result's format.
 */
export function formatHeaders(
  result: Pick<ConversionResult, 'stats'>,
  name = 'converted',
): {
  type: string;
  headers: Record<string, string>;
} {
  const format = result.stats.format ?? 'svg';
  const info = FORMAT_INFO[format];
  if (format === 'svg') return { type: info.mimeType, headers: {} };
  return {
    type: info.mimeType,
    headers: { 'Content-Disposition': `attachment; filename="${name}${info.extension}"` },
  };
}

export async function convertRoutes(
  app: FastifyInstance,
  opts: { service: Service; hide: boolean },
): Promise<void> {
  const { service, hide } = opts;
  const { config, converter, uploads, metrics, jobs } = service;

  const input = async (req: FastifyRequest) => {
    const got = await readConversionInput(req, config.maxUploadBytes, scopedUploads(uploads, req.owner));
    metrics.uploads.inc();
    return got;
  };

  app.post(
    '/convert',
    {
      schema: routeSchema(
        'Convert an image to SVG',
        'Answers image/svg+xml with X-Cache, X-Processing-Time, X-Engine-Time (a conversion run for this request), X-Paths, X-Nodes, X-Svg-Bytes and X-Preset.',
        { hide },
      ),
    },
    async (req, reply) => {
      const t0 = performance.now();
      const { bytes, request } = await input(req);
      const result = await converter.convert(bytes, request);
      const { type, headers } = formatHeaders(result);
      return reply
        .headers({ ...svgHeaders(result, t0), ...headers })
        .type(type)
        .send(result.svg);
    },
  );

  app.post(
    '/convert/streaming',
    {
      schema: routeSchema(
        'Convert, streaming the SVG as the engine finishes it',
        'The header first, then each <path> as it is traced (chunked transfer). 503 when STREAMING_ENABLED=false.',
        { hide },
      ),
    },
    async (req, reply) => streamConversion(req, reply, service, input),
  );

  app.post(
    '/convert/background',
    {
      schema: routeSchema(
        'Queue a conversion',
        'Answers 202 with the task id; poll status_url or its /events.',
        {
          hide,
          response: { 202: taskAccepted },
        },
      ),
    },
    async (req, reply) => {
      if (!config.backgroundEnabled) throw new ApiError('BACKGROUND_DISABLED');
      const { bytes, request } = await input(req);
      await converter.precheck(bytes, request.resize);
      const key = dedupeKeyFor(req.owner, await converter.cacheKey(bytes, request));
      const { record } = await jobs.submit(key, { bytes, request });
      const taskId = recordFor(req.owner, record).task_id;
      return reply.code(202).send({
        task_id: taskId,
        status: 'pending',
        status_url: `${apiPrefix(req.url)}/tasks/${taskId}`,
      });
    },
  );
}

async function streamConversion(
  req: FastifyRequest,
  reply: FastifyReply,
  service: Service,
  input: (req: FastifyRequest) => Promise<ConversionInput>,
): Promise<FastifyReply> {
  if (!service.config.streamingEnabled) throw new ApiError('STREAMING_DISABLED');
  const t0 = performance.now();
  const { bytes, request } = await input(req);
  if (request.format !== undefined && request.format !== 'svg') {
    throw new ApiError(
      'INVALID_OPTION',
      `Option "format": /convert/streaming answers SVG only; use /convert or /convert/background for ${request.format}`,
    );
  }
  const stream = new PassThrough();
  const abort = new AbortController();
  // A client that leaves stops its conversion: the worker thread is terminated.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  let firstChunk!: () => void;
  const started = new Promise<'chunk'>((resolve) => (firstChunk = () => resolve('chunk')));
  let sent = 0;
  const run = service.converter.convert(bytes, request, {
    signal: abort.signal,
    onChunk: (text) => {
      stream.write(text);
      sent += text.length;
      firstChunk();
    },
  });
  const first = await Promise.race([started, run]);
  if (first !== 'chunk') {
    return reply.headers(svgHeaders(first, t0)).type('image/svg+xml; charset=utf-8').send(first.svg);
  }
  run.then(
    () => stream.end(),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      // The client left, and its conversion was stopped for that: nobody to tell.
      if (abort.signal.aborted) {
        stream.destroy();
        return;
      }
      if (!reply.raw.headersSent) {
        // Nothing has left yet: fastify answers the error as JSON, as before the first chunk.
        stream.destroy(err);
        return;
      }
      // The client holds part of an SVG. Closing the connection without the final zero-length chunk makes
      // the transfer incomplete, so it sees an error instead of taking a truncated SVG for a whole one.
      req.log.warn(
        { err, code: err instanceof ApiError ? err.code : 'INTERNAL', sentChars: sent },
        'streamed conversion failed after the first bytes: response aborted',
      );
      reply.raw.destroy();
      stream.destroy();
    },
  );
  return reply
    .headers({ ...SVG_SECURITY_HEADERS, 'X-Cache': 'MISS', 'X-Accel-Buffering': 'no' })
    .type('image/svg+xml; charset=utf-8')
    .send(stream);
}
