/**
 * Worker thread entry: decodes the bytes and runs the stepped pipeline, so
 * the service's event loop never blocks on decoding or tracing. One task at
 * a time; the pool terminates the thread to stop a conversion.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { convertSvg, EngineInputError, EngineOptionError, vectorizeSteps } from '../../engine/index.js';
import { DecodeError, decodeImage } from '../../node/decode/index.js';
import { withImageDpi } from '../../node/convert-file.js';
import type { ErrorCode } from '../errors.js';
import { stretchContrast } from './enhance.js';
import type { ConvertTask, WorkerReply } from './protocol.js';

if (!parentPort) throw new Error('convert-worker.js must run in a worker thread');
const port = parentPort;
// libvips' operation cache (process-wide, up to 50 MB) serves repeated operations on the same input;
// every conversion here decodes new bytes once, so it would only hold memory.
sharp.cache(false);
const send = (reply: WorkerReply): void => port.postMessage(reply);

/** Progress is reported at most every this fraction, so messages do not swamp the pool. */
const PROGRESS_STEP = 0.01;

const DECODE_CODES: Readonly<Record<string, ErrorCode>> = {
  UNSUPPORTED_FORMAT: 'UNSUPPORTED_FORMAT',
  CORRUPT_IMAGE: 'CORRUPT_IMAGE',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  EMPTY_INPUT: 'EMPTY_FILE',
};

async function convert(task: ConvertTask): Promise<void> {
  const t0 = performance.now();
  if (task.progress) send({ type: 'progress', stage: 'decode', progress: 0 });
  const decoded = await decodeImage(task.bytes, task.limits);
  const raster = task.enhance ? stretchContrast(decoded.raster) : decoded.raster;
  const steps = vectorizeSteps(raster, withImageDpi(task.options, decoded.density, task.format));
  let lastProgress = -1;
  let lastStage = '';
  for (;;) {
    const r = steps.next();
    if (r.done) {
      send({
        type: 'done',
        output: {
          svg: convertSvg(r.value.svg, task.format ?? 'svg'),
          stats: r.value.stats,
          format: decoded.format,
          resized: decoded.resized,
          engineMs: performance.now() - t0,
        },
      });
      return;
    }
    const ev = r.value;
    if (ev.type === 'chunk') {
      if (task.stream) send({ type: 'chunk', text: ev.text });
    } else if (task.progress && (ev.stage !== lastStage || ev.progress - lastProgress >= PROGRESS_STEP)) {
      lastStage = ev.stage;
      lastProgress = ev.progress;
      send({ type: 'progress', stage: ev.stage, progress: ev.progress });
    }
  }
}

function toReply(e: unknown, task: ConvertTask): WorkerReply {
  if (e instanceof DecodeError && e.code === 'IMAGE_TOO_LARGE') {
    const { maxSide, maxPixels } = task.limits;
    const limits = `MAX_IMAGE_DIMENSION=${maxSide} px per side (send resize=true to downscale), MAX_IMAGE_PIXELS=${maxPixels}`;
    return {
      type: 'error',
      code: 'IMAGE_TOO_LARGE',
      message: `${e.message}. This server's limits: ${limits}`,
    };
  }
  if (e instanceof DecodeError)
    return { type: 'error', code: DECODE_CODES[e.code] ?? 'CORRUPT_IMAGE', message: e.message };
  if (e instanceof EngineOptionError) return { type: 'error', code: 'INVALID_OPTION', message: e.message };
  if (e instanceof EngineInputError) return { type: 'error', code: 'CORRUPT_IMAGE', message: e.message };
  return { type: 'error', code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

port.on('message', (task: ConvertTask) => {
  convert(task).catch((e: unknown) => send(toReply(e, task)));
});
send({ type: 'ready' });
