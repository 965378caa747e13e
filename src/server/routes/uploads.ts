/** Chunked uploads: send chunks in any order, ask which are in, assemble, then convert by upload_id. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sniffFormat } from '../../node/decode/index.js';
import { ApiError } from '../errors.js';
import { readMultipart } from '../input.js';
import { scopedUploads } from '../ownership.js';
import type { Service } from '../service.js';
import { UPLOAD_ID_PATTERN } from '../uploads/types.js';
import { documentedOnly, jsonSchemaOf, schemaOf } from '../validation.js';

const uploadId = z
  .string()
  .regex(UPLOAD_ID_PATTERN, 'upload_id must be 1-64 characters from A-Z a-z 0-9 _ -');

const chunkFields = z.object({
  upload_id: uploadId.describe('Chosen by the client'),
  chunk_number: z.coerce.number().int().min(0).describe('0-based index of this chunk'),
  total_chunks: z.coerce.number().int().min(1).max(1_000_000).describe('Number of chunks of the whole file'),
});

const params = schemaOf(z.object({ upload_id: uploadId }));

/** The multipart body as documented: the fields of `chunkFields` (which validate them) plus the chunk's bytes. */
const chunkBodyJson = jsonSchemaOf(chunkFields);
const chunkBody = documentedOnly({
  ...chunkBodyJson,
  required: [...(chunkBodyJson.required as string[]), 'chunk'],
  properties: {
    chunk: { type: 'string', format: 'binary', description: 'The chunk bytes (at most CHUNK_SIZE)' },
    ...(chunkBodyJson.properties as object),
  },
});

export async function uploadRoutes(
  app: FastifyInstance,
  opts: { service: Service; hide: boolean },
): Promise<void> {
  const { config } = opts.service;
  const uploadsOf = (req: FastifyRequest) => scopedUploads(opts.service.uploads, req.owner);
  const hide = opts.hide;

  app.post(
    '/upload/chunked',
    {
      schema: {
        hide,
        consumes: ['multipart/form-data'],
        body: chunkBody,
        summary: 'Send one chunk of an upload',
        description: 'Idempotent for the same bytes; 409 for different bytes at an accepted index.',
      },
    },
    async (req) => {
      const content = await readMultipart(
        req,
        config.chunkBytes,
        () =>
          new ApiError('CHUNK_TOO_LARGE', `A chunk may be at most ${config.chunkBytes} bytes (CHUNK_SIZE)`),
      );
      const chunk = content.files.get('chunk');
      if (!chunk) throw new ApiError('MISSING_FILE', 'Send the chunk bytes as multipart file field "chunk"');
      const parsed = chunkFields.safeParse({ ...(req.query as object), ...content.fields });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ApiError('INVALID_REQUEST', `"${issue.path.join('.')}": ${issue.message}`);
      }
      const { upload_id, chunk_number, total_chunks } = parsed.data;
      return uploadsOf(req).putChunk(upload_id, chunk_number, total_chunks, chunk);
    },
  );

  app.get<{ Params: { upload_id: string } }>(
    '/upload/chunked/:upload_id',
    { schema: { hide, params, summary: 'Which chunks of an upload have arrived' } },
    async (req) => uploadsOf(req).status(req.params.upload_id),
  );

  app.post<{ Params: { upload_id: string } }>(
    '/upload/chunked/:upload_id/complete',
    {
      schema: {
        hide,
        params,
        summary: 'Assemble the chunks; then convert with upload_id',
        description:
          '400 UPLOAD_INCOMPLETE naming the missing chunks; 415 when the file is not an accepted image.',
      },
    },
    async (req) => {
      const uploads = uploadsOf(req);
      const bytes = await uploads.assemble(req.params.upload_id);
      const format = sniffFormat(bytes);
      if (!format || !config.allowedFormats.has(format)) {
        await uploads.delete(req.params.upload_id);
        throw new ApiError(
          'UNSUPPORTED_FORMAT',
          format
            ? `The upload is a ${format.toUpperCase()} image; this server accepts ${[...config.allowedFormats].join(', ')}`
            : 'The assembled upload is not a PNG, JPEG, GIF, BMP, TIFF or WebP image',
        );
      }
      return { upload_id: req.params.upload_id, size: bytes.length, format };
    },
  );

  app.delete<{ Params: { upload_id: string } }>(
    '/upload/chunked/:upload_id',
    { schema: { hide, params, summary: 'Discard an upload and free its storage' } },
    async (req, reply) => {
      const uploads = uploadsOf(req);
      await uploads.status(req.params.upload_id);
      await uploads.delete(req.params.upload_id);
      return reply.code(204).send();
    },
  );
}
