/** Messages between the worker pool and its conversion workers. */
import type { OutputFormat, VectorizeOptions, VectorizeStats } from '../../engine/index.js';
import type { DecodeLimits, ImageFormat } from '../../node/decode/index.js';
import type { ErrorCode } from '../errors.js';

export interface ConvertTask {
  /** Encoded image bytes; transferred to the worker. */
  bytes: Uint8Array;
  options: VectorizeOptions;
  /** Output format: the worker converts the finished SVG to it (default svg). */
  format?: OutputFormat;
  limits: DecodeLimits;
  /** Apply the light pre-filter of enhance.ts before tracing. */
  enhance: boolean;
  /** Send SVG chunks as the engine finishes them (streaming responses). */
  stream: boolean;
  /** Send progress messages (background jobs); a synchronous request needs none. */
  progress: boolean;
}

export interface ConvertOutput {
  /** The document: SVG, or the task's format. */
  svg: string;
  stats: VectorizeStats;
  format: ImageFormat;
  resized: boolean;
  /** Milliseconds the worker spent decoding and vectorizing (the engine's own time, no queue or hop). */
  engineMs: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; stage: string; progress: number }
  | { type: 'chunk'; text: string }
  | { type: 'done'; output: ConvertOutput }
  | { type: 'error'; code: ErrorCode; message: string };
