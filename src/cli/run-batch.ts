/**
 * Converts the planned inputs and writes their SVGs: one input in this
 * thread, several in a pool of worker threads (one per core). A failed file is
 * reported and the others go on.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { readStream } from '../node/read-input.js';
import type { DecodeLimits } from '../node/decode/index.js';
import type { OutputFormat, VectorizeOptions } from '../engine/index.js';
import { convertOne, type ConvertOutcome } from './convert-job.js';
import type { PlannedOutput } from './output-plan.js';
import { createProgress } from './progress.js';
import { WorkerPool } from './worker-pool.js';

export interface BatchSettings {
  readonly options: VectorizeOptions;
  /** Output format (default svg). */
  readonly format?: OutputFormat;
  readonly limits: DecodeLimits;
  /** Worker threads for a batch; default: the available cores. */
  readonly jobs?: number;
  readonly progress: boolean;
  /** Prints a line per converted file. */
  readonly verbose: boolean;
}

/** An outcome once reported: the SVG text itself is written out and dropped, so a long batch does not hold every SVG. */
export type FileOutcome =
  Omit<Extract<ConvertOutcome, { ok: true }>, 'svg'> | Extract<ConvertOutcome, { ok: false }>;

export interface FileResult {
  readonly input: string;
  readonly output: string;
  readonly outcome: FileOutcome;
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (err) => (err ? reject(err) : resolve())),
  );
}

async function writeOutput(path: string, svg: string): Promise<void> {
  if (path === '-') return writeStdout(svg);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, svg);
}

/** Runs every planned conversion; resolves with one result per input, in plan order. */
export async function runBatch(
  plan: readonly PlannedOutput[],
  settings: BatchSettings,
  onResult: (result: FileResult, log: (line: string) => void) => void,
): Promise<FileResult[]> {
  const { options, limits, format = 'svg' } = settings;
  const progress = createProgress(plan.length, settings.progress);
  const inFlight = new Map<number, number>();
  let done = 0;
  const refresh = (file: string): void => {
    let partial = 0;
    for (const p of inFlight.values()) partial += p;
    progress.update(done + partial, done, file);
  };

  const size = Math.max(1, Math.min(settings.jobs ?? availableParallelism(), plan.length));
  const pool = plan.length > 1 ? new WorkerPool(size) : null;
  try {
    return await Promise.all(
      plan.map(async ({ input, output }, i): Promise<FileResult> => {
        const onProgress = (p: number): void => {
          inFlight.set(i, p);
          refresh(input);
        };
        const request = {
          input: input === '-' ? await readStream(process.stdin) : input,
          options,
          format,
          limits,
        };
        const converted = pool
          ? await pool.run(request, onProgress)
          : await convertOne(request, (_stage, p) => onProgress(p));
        let outcome: FileOutcome = converted;
        if (converted.ok) {
          const { svg, ...rest } = converted;
          outcome = rest;
          try {
            await writeOutput(output, svg);
          } catch (err) {
            const message = `cannot write ${output}: ${(err as Error).message}`;
            outcome = { ok: false, code: 'WRITE_ERROR', message, bytesIn: converted.bytesIn };
          }
        }
        inFlight.delete(i);
        done++;
        refresh(input);
        const result = { input, output, outcome };
        onResult(result, (line) => progress.log(line));
        return result;
      }),
    );
  } finally {
    progress.stop();
    await pool?.close();
  }
}
