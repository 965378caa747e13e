import { useEffect, useRef } from 'react';
import type { QueueState } from './queue.js';

/** Revokes the object URLs of originals and results that are no longer in the queue, so memory is given back. */
export function useObjectUrlCleanup(state: QueueState): void {
  const known = useRef(new Set<string>());
  useEffect(() => {
    const inUse = new Set<string>();
    for (const item of state.items) {
      inUse.add(item.originalUrl);
      if (item.result) inUse.add(item.result.url);
      for (const result of item.recent) inUse.add(result.url);
    }
    for (const url of known.current) if (!inUse.has(url)) URL.revokeObjectURL(url);
    known.current = inUse;
  }, [state]);
}
