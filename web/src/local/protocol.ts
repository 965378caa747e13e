/** Messages between the page and the engine's Web Worker. */
import type { VectorizeStats } from '../../../src/engine/index.js';

export interface ConvertMessage {
  readonly type: 'convert';
  readonly id: number;
  /** Names the file, so its decoded pixels are reused by the next conversion of it. */
  readonly fileKey: string;
  readonly file: Blob;
  /** The options as the service's query string. */
  readonly query: string;
  /** Downscale so the larger side is at most this many pixels first (a draft); null: full size. */
  readonly maxSide: number | null;
}

export interface CancelMessage {
  readonly type: 'cancel';
  readonly id: number;
}

export interface RasterMessage {
  readonly type: 'raster';
  readonly id: number;
  readonly fileKey: string;
  readonly file: Blob;
}

/** Compare the original with the SVG as the browser drew it (RGBA at the original's size). */
export interface FidelityMessage {
  readonly type: 'fidelity';
  readonly id: number;
  readonly fileKey: string;
  readonly file: Blob;
  readonly width: number;
  readonly height: number;
  readonly rendered: Uint8ClampedArray;
}

export type ToWorker = ConvertMessage | CancelMessage | RasterMessage | FidelityMessage;

export type FromWorker =
  | {
      readonly type: 'done';
      readonly id: number;
      readonly svg: string;
      readonly stats: VectorizeStats;
      readonly decodeMs: number;
      readonly engineMs: number;
    }
  | {
      readonly type: 'pixels';
      readonly id: number;
      readonly width: number;
      readonly height: number;
      readonly data: Uint8ClampedArray;
    }
  | {
      readonly type: 'fidelity';
      readonly id: number;
      readonly ssim: number;
      readonly deltaE: number;
      /** RGBA: each pixel's CIEDE2000 difference as red of rising opacity (transparent where equal). */
      readonly heat: Uint8ClampedArray;
    }
  | { readonly type: 'error'; readonly id: number; readonly code: string; readonly message: string };
