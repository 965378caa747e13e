/**
 * Worker-thread entry of the batch pool: runs `convertOne` for each task the
 * main thread posts and posts back progress and the outcome.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { convertOne, type ConvertRequest } from './convert-job.js';

export type WorkerTask = { readonly id: number; readonly request: ConvertRequest };
export type WorkerMessage =
  | { readonly type: 'progress'; readonly id: number; readonly progress: number }
  | { readonly type: 'done'; readonly id: number; readonly outcome: Awaited<ReturnType<typeof convertOne>> };

// The pool already runs one worker per core: one libvips thread per worker
// avoids oversubscribing the cores.
sharp.concurrency(1);

const port = parentPort;
if (port) {
  port.on('message', async ({ id, request }: WorkerTask) => {
    const outcome = await convertOne(request, (_stage, progress) => {
      port.postMessage({ type: 'progress', id, progress } satisfies WorkerMessage);
    });
    port.postMessage({ type: 'done', id, outcome } satisfies WorkerMessage);
  });
}
