/**
 * The engine in a Web Worker: decodes with the browser's own decoder
 * (createImageBitmap, then an OffscreenCanvas's getImageData, without
 * premultiplying or colour conversion), runs the same platform-free pipeline
 * as the service, and answers the SVG. A newer request cancels an older one
 * by id: the pipeline checks between steps and gives the thread back often.
 * Decoded pixels of the last few files are kept, so a slider change only
 * traces again.
 */
import {
  EngineAbortError,
  EngineOptionError,
  vectorizeAsync,
  type Raster,
} from '../../../src/engine/index.js';
import { stretchContrast } from '../../../src/server/pool/enhance.js';
import { composeOn } from '../../../src/quality/compose.js';
import { deltaE2000, meanDeltaE, srgbToLab } from '../../../src/quality/delta-e.js';
import { ssim } from '../../../src/quality/ssim.js';
import { toLocalRequest } from './engine-options.js';
import type { FromWorker, ToWorker } from './protocol.js';

const KEPT_RASTERS = 4;
const rasters = new Map<string, Promise<Raster>>();
const running = new Map<number, { aborted: boolean }>();

const reply = (message: FromWorker, transfer: Transferable[] = []): void =>
  (self as unknown as { postMessage(m: FromWorker, t: Transferable[]): void }).postMessage(message, transfer);

class DecodeFailure extends Error {}

async function decode(file: Blob, maxSide: number | null): Promise<Raster> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new DecodeFailure(
      'This browser cannot decode this file; turn off local mode to let the service convert it.',
    );
  }
  let { width, height } = bitmap;
  if (maxSide !== null && Math.max(width, height) > maxSide) {
    const k = maxSide / Math.max(width, height);
    const [w, h] = [Math.max(1, Math.round(width * k)), Math.max(1, Math.round(height * k))];
    const small = await createImageBitmap(bitmap, {
      resizeWidth: w,
      resizeHeight: h,
      resizeQuality: 'medium',
      premultiplyAlpha: 'none',
    });
    bitmap.close();
    bitmap = small;
    [width, height] = [w, h];
  }
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new DecodeFailure('This browser gives no 2D canvas in workers.');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
  return { width, height, data };
}

function raster(fileKey: string, file: Blob, maxSide: number | null): Promise<Raster> {
  const key = `${fileKey}@${maxSide ?? 'full'}`;
  let kept = rasters.get(key);
  if (kept) {
    rasters.delete(key);
  } else {
    kept = decode(file, maxSide);
    kept.catch(() => rasters.delete(key));
  }
  rasters.set(key, kept);
  while (rasters.size > KEPT_RASTERS) rasters.delete(rasters.keys().next().value as string);
  return kept;
}

async function convert(message: Extract<ToWorker, { type: 'convert' }>): Promise<void> {
  const signal = { aborted: false };
  running.set(message.id, signal);
  try {
    const t0 = performance.now();
    const decoded = await raster(message.fileKey, message.file, message.maxSide);
    const t1 = performance.now();
    if (signal.aborted) throw new EngineAbortError();
    const { options, enhance } = toLocalRequest(new URLSearchParams(message.query));
    const input = enhance ? stretchContrast(decoded) : decoded;
    const result = await vectorizeAsync(input, options, { signal, yieldEveryMs: 8 });
    reply({
      type: 'done',
      id: message.id,
      svg: result.svg,
      stats: result.stats,
      decodeMs: t1 - t0,
      engineMs: performance.now() - t1,
    });
  } catch (error) {
    const code =
      error instanceof EngineAbortError
        ? 'ABORTED'
        : error instanceof EngineOptionError
          ? 'INVALID_OPTION'
          : error instanceof DecodeFailure
            ? 'UNSUPPORTED_FORMAT'
            : 'INTERNAL';
    reply({
      type: 'error',
      id: message.id,
      code,
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    running.delete(message.id);
  }
}

/** The benchmark's SSIM and mean ΔE (src/quality), and a heat map of where the two differ. */
async function fidelity(message: Extract<ToWorker, { type: 'fidelity' }>): Promise<void> {
  const original = await raster(message.fileKey, message.file, null);
  if (original.width !== message.width || original.height !== message.height)
    throw new Error('The rendered SVG is not the size of the original.');
  const rendered: Raster = { width: message.width, height: message.height, data: message.rendered };
  const a = composeOn(original).data;
  const b = composeOn(rendered).data;
  const heat = new Uint8ClampedArray(a.length);
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) continue;
    const d = deltaE2000(srgbToLab(a[i], a[i + 1], a[i + 2]), srgbToLab(b[i], b[i + 1], b[i + 2]));
    heat[i] = 255;
    heat[i + 1] = d > 20 ? 0 : 200 - d * 10;
    heat[i + 2] = 0;
    heat[i + 3] = Math.min(255, 40 + d * 20);
  }
  reply(
    {
      type: 'fidelity',
      id: message.id,
      ssim: ssim(original, rendered),
      deltaE: meanDeltaE(original, rendered),
      heat,
    },
    [heat.buffer],
  );
}

self.onmessage = (event: MessageEvent<ToWorker>): void => {
  const message = event.data;
  if (message.type === 'fidelity') {
    fidelity(message).catch((error: unknown) =>
      reply({ type: 'error', id: message.id, code: 'INTERNAL', message: String(error) }),
    );
  } else if (message.type === 'cancel') {
    const signal = running.get(message.id);
    if (signal) signal.aborted = true;
  } else if (message.type === 'raster') {
    raster(message.fileKey, message.file, null).then(
      (r) => {
        const data = new Uint8ClampedArray(r.data);
        reply({ type: 'pixels', id: message.id, width: r.width, height: r.height, data }, [data.buffer]);
      },
      (error: unknown) =>
        reply({ type: 'error', id: message.id, code: 'UNSUPPORTED_FORMAT', message: String(error) }),
    );
  } else {
    void convert(message);
  }
};
