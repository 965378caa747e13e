/**
 * A fixed pool of conversion worker threads with a bounded wait queue.
 * - A task that runs past the timeout, or whose signal aborts, has its
 *   thread terminated (the only way to stop synchronous tracing) and a fresh
 *   thread takes its place.
 * - When every thread is busy and the queue is full, `run` fails at once
 *   with BUSY and a Retry-After estimate instead of queueing without bound.
 * - With a pixel budget (pixel-budget.ts), a task starts only when the
 *   pixels it decodes fit beside those of the tasks running; the others wait
 *   in the queue (smaller ones may pass a big one that waits for room).
 * - A thread is replaced by a fresh one after `maxTasksPerWorker` tasks, and
 *   once it has sat idle `idleRecycleMs` after work: a worker's V8 heap grows
 *   to the largest conversion it ran and never gives the memory back, so a
 *   fresh thread is how the process returns to its idle size. The fresh
 *   thread loads beside the old one, which keeps taking tasks, and takes its
 *   place once it is ready and the old one is between tasks: recycling never
 *   leaves the pool a thread short.
 * Our own pool rather than piscina: each task streams chunk and progress
 * messages back while it runs, and termination must be per task.
 */
import { Worker } from 'node:worker_threads';
import { ApiError } from '../errors.js';
import { PixelBudget } from './pixel-budget.js';
import type { ConvertOutput, ConvertTask, WorkerReply } from './protocol.js';

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: (stage: string, progress: number) => void;
  onChunk?: (text: string) => void;
  /** Called when a thread starts the task (it leaves the queue). */
  onStart?: () => void;
  /** Pixels the task decodes (width x height from the header), counted against the pixel budget. */
  pixels?: number;
  /** Wait for room however long the queue (background jobs): never BUSY for a full queue. */
  wait?: boolean;
}

export interface PoolOptions {
  size: number;
  maxQueue: number;
  timeoutMs: number;
  workerUrl?: URL;
  /** Most pixels decoded at once by the running tasks (PIXEL_BUDGET); default no limit. */
  pixelBudget?: number;
  /** How many later tasks may start ahead of one waiting for budget (default 32). */
  maxPasses?: number;
  /** Replace a thread after this many tasks (WORKER_MAX_TASKS); 0 = never (the default). */
  maxTasksPerWorker?: number;
  /** Replace a thread that has run a task and then sat idle this long (WORKER_IDLE_SECONDS); 0 = never (the default). */
  idleRecycleMs?: number;
}

export interface PoolStats {
  size: number;
  busy: number;
  queued: number;
  /** Threads terminated to stop a task (timeout or cancel) or lost to a crash. */
  terminated: number;
  /** Threads replaced by fresh ones after maxTasksPerWorker tasks or idleRecycleMs idle. */
  recycled: number;
  /** Pixels held by the running tasks, against `pixelBudget`. */
  pixelsInUse: number;
  pixelBudget: number;
}

interface Job {
  task: ConvertTask;
  hooks: RunHooks;
  resolve: (out: ConvertOutput) => void;
  reject: (e: unknown) => void;
  onAbort?: () => void;
  pixels: number;
  passes: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Tasks this thread has finished. */
  tasks: number;
  idleTimer: NodeJS.Timeout | null;
  /** The fresh thread loading to take this one's place (recycling). */
  successor: Slot | null;
  /** For a fresh thread still loading: the slot it will replace. */
  predecessor: Slot | null;
}

/**
 * The compiled worker script. From dist/ it sits beside this module; when this
 * module runs from src/ (vitest, tsx), the worker is taken from the dist/
 * build of the same path, since worker threads run plain JavaScript.
 */
export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const i = here.lastIndexOf('/src/');
    return new URL(
      `${here.slice(0, i)}/dist/${here.slice(i + 5).replace(/worker-pool\.ts$/, 'convert-worker.js')}`,
    );
  }
  return new URL('./convert-worker.js', here);
}

export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  /** Fresh threads loading to replace recycled ones; not in #slots until they do. */
  readonly #spares = new Set<Slot>();
  readonly #options: Required<PoolOptions>;
  readonly #budget: PixelBudget;
  #terminated = 0;
  #recycled = 0;
  #closed = false;
  /** Exponential moving average of task time (ms), for Retry-After. */
  #avgMs = 1000;

  constructor(options: PoolOptions) {
    this.#options = {
      workerUrl: defaultWorkerUrl(),
      pixelBudget: Infinity,
      maxPasses: 32,
      maxTasksPerWorker: 0,
      idleRecycleMs: 0,
      ...options,
    };
    this.#budget = new PixelBudget(this.#options.pixelBudget, this.#options.maxPasses);
    for (let i = 0; i < options.size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(this.#options.workerUrl);
    const slot: Slot = {
      worker,
      ready: false,
      job: null,
      timer: null,
      tasks: 0,
      idleTimer: null,
      successor: null,
      predecessor: null,
    };
    worker.on('message', (m: WorkerReply) => this.#onMessage(slot, m));
    worker.on('error', (e) =>
      this.#replace(slot, new ApiError('INTERNAL', `Conversion worker crashed: ${e.message}`)),
    );
    worker.on('exit', () => {
      if (this.#spares.has(slot)) this.#dropSpare(slot);
      else if (!this.#closed && this.#slots.includes(slot)) {
        this.#replace(slot, new ApiError('INTERNAL', 'Conversion worker exited unexpectedly'));
      }
    });
    return slot;
  }

  #onMessage(slot: Slot, m: WorkerReply): void {
    if (m.type === 'ready') {
      slot.ready = true;
      if (slot.predecessor) this.#swap(slot.predecessor);
      this.#pump();
      return;
    }
    const job = slot.job;
    if (!job) return;
    if (m.type === 'progress') job.hooks.onProgress?.(m.stage, m.progress);
    else if (m.type === 'chunk') job.hooks.onChunk?.(m.text);
    else {
      this.#finish(slot);
      if (m.type === 'done') job.resolve(m.output);
      else job.reject(new ApiError(m.code, m.message));
      slot.tasks++;
      const { maxTasksPerWorker, idleRecycleMs } = this.#options;
      if (slot.successor) this.#swap(slot);
      else if (maxTasksPerWorker > 0 && slot.tasks >= maxTasksPerWorker) this.#recycle(slot);
      else if (idleRecycleMs > 0) {
        slot.idleTimer = setTimeout(() => {
          slot.idleTimer = null;
          if (!slot.job) this.#recycle(slot);
        }, idleRecycleMs);
        slot.idleTimer.unref();
      }
      this.#pump();
    }
  }

  /** Starts a fresh thread to take this one's place (its memory goes back to the system with it). */
  #recycle(slot: Slot): void {
    if (this.#closed || slot.successor || !this.#slots.includes(slot)) return;
    const fresh = this.#spawn();
    fresh.predecessor = slot;
    slot.successor = fresh;
    this.#spares.add(fresh);
  }

  /** Puts the successor in the old thread's place, once it is ready and the old one is between tasks. */
  #swap(old: Slot): void {
    const fresh = old.successor;
    if (!fresh?.ready || old.job) return;
    const index = this.#slots.indexOf(old);
    this.#spares.delete(fresh);
    old.successor = null;
    fresh.predecessor = null;
    if (index < 0) {
      void fresh.worker.terminate();
      return;
    }
    if (old.idleTimer) clearTimeout(old.idleTimer);
    this.#slots[index] = fresh;
    this.#recycled++;
    void old.worker.terminate();
  }

  /** A fresh thread that failed to load: the old one stays, and may be recycled again later. */
  #dropSpare(fresh: Slot): void {
    this.#spares.delete(fresh);
    if (fresh.predecessor) fresh.predecessor.successor = null;
    fresh.predecessor = null;
    void fresh.worker.terminate();
  }

  #finish(slot: Slot): void {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.timer = null;
    slot.idleTimer = null;
    slot.job = null;
    if (!job) return;
    this.#budget.release(job.pixels);
    if (job.onAbort) job.hooks.signal?.removeEventListener('abort', job.onAbort);
  }

  /** Terminates the slot's thread (stopping its task with `reason`) and starts a fresh one. */
  #replace(slot: Slot, reason: unknown): void {
    if (this.#spares.has(slot)) return this.#dropSpare(slot);
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    const job = slot.job;
    this.#finish(slot);
    this.#terminated++;
    void slot.worker.terminate();
    const successor = slot.successor;
    if (successor) {
      // The thread loading to replace it takes its place now (the pool pumps when it is ready).
      this.#spares.delete(successor);
      successor.predecessor = null;
      slot.successor = null;
    }
    if (this.#closed) this.#slots.splice(index, 1);
    else this.#slots[index] = successor ?? this.#spawn();
    job?.reject(reason);
    // Its pixels are free again: a task waiting for budget may start on another thread.
    this.#pump();
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const next = this.#budget.next(this.#queue);
      if (next < 0) return;
      this.#dispatch(slot, this.#queue.splice(next, 1)[0]);
    }
  }

  #dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    this.#budget.take(job.pixels);
    const started = performance.now();
    const { resolve } = job;
    job.resolve = (out) => {
      this.#avgMs = 0.8 * this.#avgMs + 0.2 * (performance.now() - started);
      resolve(out);
    };
    slot.timer = setTimeout(() => {
      const seconds = this.#options.timeoutMs / 1000;
      this.#replace(
        slot,
        new ApiError(
          'TIMEOUT',
          `The conversion took longer than ${seconds} s (VECTORIZATION_TIMEOUT) and was stopped`,
        ),
      );
    }, this.#options.timeoutMs);
    job.hooks.onStart?.();
    const bytes = job.task.bytes.slice();
    slot.worker.postMessage({ ...job.task, bytes }, [bytes.buffer]);
  }

  /** Runs a conversion on a worker thread. Rejects with ApiError BUSY, TIMEOUT, CANCELLED or the conversion's error. */
  run(task: ConvertTask, hooks: RunHooks = {}): Promise<ConvertOutput> {
    return new Promise<ConvertOutput>((resolve, reject) => {
      if (this.#closed)
        return reject(new ApiError('BUSY', 'The server is shutting down', { 'Retry-After': '5' }));
      const { signal } = hooks;
      if (signal?.aborted) return reject(new ApiError('CANCELLED'));
      const pixels = hooks.pixels ?? 0;
      if (this.#budget.exceeds(pixels)) {
        return reject(
          new ApiError(
            'IMAGE_TOO_LARGE',
            `The image has ${pixels} pixels; this server decodes at most ${this.#budget.limit} at once (PIXEL_BUDGET)`,
          ),
        );
      }
      const job: Job = { task, hooks, resolve, reject, pixels, passes: 0 };
      // Starts at once only on a free thread, with room in the budget, and nobody waiting ahead who could start.
      const idle = this.#slots.find((s) => s.ready && !s.job);
      const now = idle && this.#budget.admitsNow(this.#queue, pixels) ? idle : null;
      if (!now && !hooks.wait && this.#queue.length >= this.#options.maxQueue) {
        return reject(new ApiError('BUSY', undefined, { 'Retry-After': String(this.#retryAfter()) }));
      }
      if (signal) {
        job.onAbort = () => {
          const queued = this.#queue.indexOf(job);
          if (queued >= 0) {
            this.#queue.splice(queued, 1);
            reject(new ApiError('CANCELLED'));
            this.#pump();
          } else {
            const slot = this.#slots.find((s) => s.job === job);
            if (slot) this.#replace(slot, new ApiError('CANCELLED'));
          }
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      if (now) {
        for (const waiting of this.#queue) waiting.passes++;
        this.#dispatch(now, job);
      } else this.#queue.push(job);
    });
  }

  /** Seconds until a slot is likely free: queued work spread over the threads. */
  #retryAfter(): number {
    return Math.max(1, Math.ceil(((this.#queue.length + 1) * this.#avgMs) / this.#options.size / 1000));
  }

  stats(): PoolStats {
    return {
      size: this.#options.size,
      busy: this.#slots.filter((s) => s.job).length,
      queued: this.#queue.length,
      terminated: this.#terminated,
      recycled: this.#recycled,
      pixelsInUse: this.#budget.used,
      pixelBudget: this.#budget.limit,
    };
  }

  /** True once every thread has loaded (readiness). */
  ready(): boolean {
    return this.#slots.length > 0 && this.#slots.every((s) => s.ready);
  }

  /** Resolves when no task is running or queued. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#slots.some((s) => s.job)) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops every thread; queued and running tasks fail with BUSY. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new ApiError('BUSY', 'The server is shutting down'));
    const slots = this.#slots.splice(0);
    for (const fresh of this.#spares) slots.push(fresh);
    this.#spares.clear();
    await Promise.all(
      slots.map((s) => {
        s.job?.reject(new ApiError('BUSY', 'The server is shutting down'));
        this.#finish(s);
        return s.worker.terminate();
      }),
    );
  }
}
