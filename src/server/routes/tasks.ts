/** Background task status, result, server-sent progress events and cancellation. */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { FINAL_STATUSES, type JobRecord } from '../jobs/types.js';
import { recordFor, withTask } from '../ownership.js';
import { apiPrefix, type Service } from '../service.js';
import { schemaOf } from '../validation.js';
import { formatHeaders, svgHeaders } from './convert.js';

/** A comment line this often keeps proxies from closing a quiet event stream (nginx's default idle timeout is 60 s). */
const HEARTBEAT_MS = 15_000;

const params = schemaOf(z.object({ id: z.string().min(1).max(128) }));

/** The status document: the job record plus the URL of its result once there is one. */
function statusJson(record: JobRecord, prefix: string): JobRecord & { result_url?: string } {
  return record.status === 'completed'
    ? { ...record, result_url: `${prefix}/tasks/${record.task_id}/result` }
    : record;
}

export async function taskRoutes(
  app: FastifyInstance,
  opts: { service: Service; hide: boolean },
): Promise<void> {
  const { jobs } = opts.service;
  const hide = opts.hide;

  app.get<{ Params: { id: string } }>(
    '/tasks/:id',
    {
      schema: { hide, params, summary: 'Status and progress (0-100, never decreasing) of a background task' },
    },
    async (req) =>
      withTask(req.owner, req.params.id, async (id) =>
        statusJson(recordFor(req.owner, await jobs.get(id)), apiPrefix(req.url)),
      ),
  );

  app.get<{ Params: { id: string } }>(
    '/tasks/:id/result',
    {
      schema: {
        hide,
        params,
        summary: 'The SVG of a completed task',
        description:
          'The headers of POST /convert: X-Cache (HIT when the cache answered the task), X-Processing-Time ' +
          '(of this request), X-Paths, X-Nodes, X-Svg-Bytes, X-Shapes, X-Soft-Layers and X-Preset. 202 with the status while pending or processing; 410 when expired or cancelled; 422/500 when failed.',
      },
    },
    async (req, reply) =>
      withTask(req.owner, req.params.id, async (id) => {
        const t0 = performance.now();
        try {
          const output = await jobs.result(id);
          // No X-Engine-Time: the conversion was not run for this request.
          const { type, headers } = formatHeaders(output, id);
          return reply
            .headers({ ...svgHeaders({ ...output, engineMs: null }, t0), ...headers })
            .type(type)
            .send(output.svg);
        } catch (e) {
          if (!(e instanceof ApiError) || e.code !== 'TASK_NOT_READY') throw e;
          const record = recordFor(req.owner, await jobs.get(id));
          return reply
            .code(202)
            .header('Retry-After', '1')
            .send(statusJson(record, apiPrefix(req.url)));
        }
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/tasks/:id/events',
    {
      schema: {
        hide,
        params,
        summary: 'Server-sent events: "progress" events, then one "completed", "failed" or "cancelled"',
      },
    },
    async (req, reply) =>
      withTask(req.owner, req.params.id, async (id) => {
        const prefix = apiPrefix(req.url);
        const stream = new PassThrough();
        const send = (event: string, data: unknown) =>
          stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        let unsubscribe = () => {};
        let ended = false;
        const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const stop = () => {
          clearInterval(heartbeat);
          unsubscribe();
        };
        const onRecord = (r: JobRecord) => {
          if (ended) return;
          if (FINAL_STATUSES.has(r.status)) {
            ended = true;
            send(r.status, statusJson(recordFor(req.owner, r), prefix));
            stop();
            stream.end();
          } else {
            send('progress', { status: r.status, progress: r.progress, stage: r.stage ?? null });
          }
        };
        try {
          unsubscribe = jobs.subscribe(id, onRecord);
          onRecord(await jobs.get(id));
        } catch (e) {
          stop();
          throw e;
        }
        reply.raw.on('close', stop);
        return reply
          .headers({ 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' })
          .type('text/event-stream; charset=utf-8')
          .send(stream);
      }),
  );

  app.delete<{ Params: { id: string } }>(
    '/tasks/:id',
    { schema: { hide, params, summary: 'Cancel a task (its conversion is stopped); answers its status' } },
    async (req) =>
      withTask(req.owner, req.params.id, async (id) =>
        statusJson(recordFor(req.owner, await jobs.cancel(id)), apiPrefix(req.url)),
      ),
  );
}
