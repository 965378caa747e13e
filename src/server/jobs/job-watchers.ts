/**
 * Listeners of jobs whose changes are heard as bare "job X changed" events
 * (BullMQ's QueueEvents, a cancel published by another replica): on each
 * event the job is read again, one read at a time per job, so a listener
 * sees progress only rise, no record twice, and nothing after a final one.
 */
import { FINAL_STATUSES, type JobRecord } from './types.js';

type Listener = (record: JobRecord) => void;

interface Watch {
  listeners: Set<Listener>;
  last: JobRecord | null;
  chain: Promise<void>;
}

/** Same status, progress and stage: nothing a listener has not seen. */
function same(a: JobRecord, b: JobRecord): boolean {
  return a.status === b.status && a.progress === b.progress && a.stage === b.stage;
}

export class JobWatchers {
  readonly #watches = new Map<string, Watch>();
  /** Reads a job's record; null when it cannot be read (gone, Redis away). */
  readonly #read: (id: string) => Promise<JobRecord | null>;

  constructor(read: (id: string) => Promise<JobRecord | null>) {
    this.#read = read;
  }

  subscribe(id: string, listener: Listener): () => void {
    let watch = this.#watches.get(id);
    if (!watch) {
      watch = { listeners: new Set(), last: null, chain: Promise.resolve() };
      this.#watches.set(id, watch);
    }
    const w = watch;
    w.listeners.add(listener);
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size === 0 && this.#watches.get(id) === w) this.#watches.delete(id);
    };
  }

  /** Job `id` changed: read it and tell its listeners, if it has any. */
  changed(id: string): void {
    const watch = this.#watches.get(id);
    if (!watch) return;
    watch.chain = watch.chain.then(async () => {
      const record = await this.#read(id);
      const last = watch.last;
      if (!record) return;
      if (last && (FINAL_STATUSES.has(last.status) || record.progress < last.progress || same(last, record)))
        return;
      watch.last = record;
      for (const listener of watch.listeners) listener(record);
    });
  }
}
