/**
 * Reads what a conversion route was sent: the image (multipart field `file`,
 * the whole body when it is sent as application/octet-stream or image/*,
 * or the assembled chunked upload named by `upload_id`) and the options
 * (the query string, already parsed by the route's schema, and form fields;
 * a form field wins over the same query one).
 * The file is read under @fastify/multipart's fileSize limit, so an upload
 * over MAX_UPLOAD_SIZE is cut off with 413 while it streams in.
 */
import type { FastifyRequest } from 'fastify';
import {
  parseConvertParams,
  toConversionRequest,
  type ConversionRequest,
  type ConvertParams,
} from './convert-params.js';
import { ApiError } from './errors.js';
import type { UploadStore } from './uploads/types.js';

export interface ConversionInput {
  bytes: Uint8Array;
  request: ConversionRequest;
}

export interface MultipartContent {
  fields: Record<string, string>;
  files: Map<string, Buffer>;
}

/** Reads every part of a multipart body; `fileSize` caps each file. Non-multipart requests give no parts. */
export async function readMultipart(req: FastifyRequest, fileSize: number): Promise<MultipartContent> {
  const fields: Record<string, string> = {};
  const files = new Map<string, Buffer>();
  if (!req.isMultipart()) return { fields, files };
  for await (const part of req.parts({ limits: { fileSize, files: 1, fields: 64, fieldSize: 65_536 } })) {
    if (part.type === 'file') files.set(part.fieldname, await part.toBuffer());
    else fields[part.fieldname] = String(part.value);
  }
  return { fields, files };
}

export async function readConversionInput(
  req: FastifyRequest,
  maxUploadBytes: number,
  uploads: UploadStore,
): Promise<ConversionInput> {
  const { fields, files } = await readMultipart(req, maxUploadBytes);
  // A raw image body (application/octet-stream or image/*), parsed by app.ts as a Buffer.
  if (Buffer.isBuffer(req.body)) files.set('file', req.body);
  for (const name of files.keys()) {
    if (name !== 'file')
      throw new ApiError('MISSING_FILE', `Unexpected file field "${name}"; send the image as "file"`);
  }
  // The route's querystring schema has already parsed the query (routes/convert.ts); form fields, parsed
  // on their own (each option is checked alone), override it.
  const query = req.query as ConvertParams;
  const params = Object.keys(fields).length > 0 ? { ...query, ...parseConvertParams(fields) } : query;
  const request = toConversionRequest(params);
  const file = files.get('file');
  if (file) {
    if (params.upload_id)
      throw new ApiError('INVALID_REQUEST', 'Send either a file or an upload_id, not both');
    return { bytes: new Uint8Array(file.buffer, file.byteOffset, file.length), request };
  }
  if (params.upload_id) return { bytes: await uploads.read(params.upload_id), request };
  throw new ApiError('MISSING_FILE');
}
