/**
 * Reads what a conversion route was sent: the image (multipart field `file`,
 * the whole body when it is sent as application/octet-stream or image/*,
 * or the chunked upload named by `upload_id`, assembled here if need be) and the options
 * (the query string, already parsed by the route's schema, and form fields;
 * a form field wins over the same query one).
 * An upload over MAX_UPLOAD_SIZE is refused with 413 as soon as the limit
 * is passed, and its connection closed (http-errors.ts), not read to the end.
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

/** RFC 2046: a boundary is 1 to 70 characters. */
const MAX_BOUNDARY = 70;
const BOUNDARY_PARAM = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i;

/** MALFORMED_MULTIPART unless the Content-Type names a boundary the parser can use. */
function checkBoundary(contentType: string | undefined): void {
  const m = BOUNDARY_PARAM.exec(contentType ?? '');
  const boundary = m ? (m[1] ?? m[2]) : '';
  if (!boundary) {
    throw new ApiError(
      'MALFORMED_MULTIPART',
      'The Content-Type multipart/form-data has no boundary parameter (e.g. multipart/form-data; boundary=XyZ); let your HTTP client build the body (curl -F file=@image.png)',
    );
  }
  if (boundary.length > MAX_BOUNDARY) {
    throw new ApiError(
      'MALFORMED_MULTIPART',
      `The multipart boundary is ${boundary.length} characters; at most ${MAX_BOUNDARY} are allowed (RFC 2046)`,
    );
  }
}

/** What the parser's own (code-less) errors mean, for the client. */
function malformed(e: Error): ApiError {
  const hint = /unexpected end/i.test(e.message)
    ? ': no closing boundary, or the body does not use the boundary of the Content-Type header'
    : `: ${e.message}`;
  return new ApiError('MALFORMED_MULTIPART', `The multipart/form-data body cannot be parsed${hint}`);
}

/**
 * Reads a file part, failing with `tooLarge` as soon as it passes `limit` bytes: the rest of the body is not
 * read (the error handler then closes the connection), where the parser's own limit would discard the rest
 * of the part as it arrived, however long.
 */
async function readCapped(file: AsyncIterable<Buffer>, limit: number, tooLarge: () => ApiError) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const fileTooLarge = (limit: number) => () =>
  new ApiError(
    'FILE_TOO_LARGE',
    `The upload is larger than MAX_UPLOAD_SIZE (${limit} bytes); the upload was cut off`,
  );

/**
 * Reads every part of a multipart body; a file over `fileSize` bytes fails with `tooLarge` (default
 * FILE_TOO_LARGE), a body the parser cannot read with MALFORMED_MULTIPART. Non-multipart requests give no
 * parts.
 */
export async function readMultipart(
  req: FastifyRequest,
  fileSize: number,
  tooLarge: () => ApiError = fileTooLarge(fileSize),
): Promise<MultipartContent> {
  const fields: Record<string, string> = {};
  const files = new Map<string, Buffer>();
  if (!req.isMultipart()) return { fields, files };
  try {
    checkBoundary(req.headers['content-type']);
    // The parser's cap is one byte over ours, so readCapped sees the excess byte and stops at once.
    const limits = { fileSize: fileSize + 1, files: 1, fields: 64, fieldSize: 65_536 };
    for await (const part of req.parts({ limits })) {
      if (part.type === 'file') files.set(part.fieldname, await readCapped(part.file, fileSize, tooLarge));
      else fields[part.fieldname] = String(part.value);
    }
  } catch (e) {
    // Our errors and the plugin's (FST_* codes: limits, prototype names) are mapped by http-errors.ts; what
    // is left is the parser's own complaint about the bytes.
    const err = e instanceof ApiError || (e as { code?: unknown })?.code ? e : malformed(e as Error);
    if (err instanceof ApiError && err.code === 'MALFORMED_MULTIPART')
      req.log.info({ code: err.code, detail: (e as Error).message }, err.message);
    throw err;
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
  // Assembled on first use when every chunk is in (POST .../complete is optional); UPLOAD_INCOMPLETE naming
  // the missing chunks otherwise.
  if (params.upload_id) return { bytes: await uploads.assemble(params.upload_id), request };
  throw new ApiError('MISSING_FILE');
}
