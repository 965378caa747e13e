/**
 * Route schemas written once in zod: `schemaOf` turns a zod schema into the
 * JSON schema fastify puts in the OpenAPI document (/docs), and remembers the
 * parser, so `validatorCompiler` validates requests with the very same zod
 * schema. No second copy of a schema can drift from the docs.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { ApiError } from './errors.js';

type Parse = (data: unknown) => unknown;
const parsers = new WeakMap<object, Parse>();

/** The JSON schema of a zod schema, as requests see it (input side, before coercion). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** JSON schema for the docs, registered with the function that validates the same part of the request. */
export function schemaOf(schema: z.ZodType, parse?: Parse): Record<string, unknown> {
  const json = jsonSchemaOf(schema);
  parsers.set(
    json,
    parse ??
      ((data) => {
        const r = schema.safeParse(data);
        if (r.success) return r.data;
        const issue = r.error.issues[0];
        const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
        throw new ApiError('INVALID_REQUEST', `${where}${issue.message}`);
      }),
  );
  return json;
}

/** A documentation-only schema (e.g. a multipart body, read as a stream by the handler). */
export function documentedOnly(json: Record<string, unknown>): Record<string, unknown> {
  parsers.set(json, (data) => data);
  return json;
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const parse = parsers.get(schema as object);
  if (!parse)
    throw new Error('Route schema was not built with schemaOf(); every schema must validate with zod');
  return (data: unknown) => {
    try {
      return { value: parse(data) };
    } catch (e) {
      return { error: e as Error };
    }
  };
};
