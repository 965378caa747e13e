/**
 * A small pool of worker threads for batch conversions: one task per worker
 * at a time, a queue in front. A worker that dies (out of memory, a native
 * crash) fails only its current task and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { ConvertOutcome, ConvertRequest } from './convert-job.js';
import type { WorkerMessage, WorkerTask } from './convert-worker.js';

interface Pending {
  readonly task: WorkerTask;
  readonly onProgress: (progress: number) => void;
  readonly resolve: (outcome: ConvertOutcome) => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
}

/**
 * The compiled worker beside this module. Under a TypeScript runner (tests,
 * tsx) this module is the `.ts` source, and the worker is the one built into
 * dist/ (`npm run build`).
 */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL('./convert-worker.js', here);
  return new URL(here.replace(/\/src\/cli\/[^/]+$/, '/dist/cli/convert-worker.js'));
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl()), current: null };
    slot.worker.on('message', (msg: WorkerMessage) => {
      const cur = slot.current;
      if (!cur || msg.id !== cur.task.id) return;
      if (msg.type === 'progress') cur.onProgress(msg.progress);
      else {
        slot.current = null;
        cur.resolve(msg.outcome);
        this.dispatch();
      }
    });
    const died = (reason: string): void => {
      const cur = slot.current;
      slot.current = null;
      if (cur)
        cur.resolve({ ok: false, code: 'CONVERSION_FAILED', message: `worker died: ${reason}`, bytesIn: 0 });
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      this.dispatch();
    };
    slot.worker.on('error', (err) => died(err.message));
    slot.worker.on('exit', (code) => {
      if (!this.closed) died(`exit code ${code}`);
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      slot.current = next;
      slot.worker.postMessage(next.task);
    }
  }

  /** Converts in a worker; never rejects (failures are outcomes). */
  run(request: ConvertRequest, onProgress: (progress: number) => void = () => {}): Promise<ConvertOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ task: { id: this.nextId++, request }, onProgress, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
