import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '../result/format.js';
import type { QueueState } from './queue.js';

/**
 * What a screen reader hears when a result finishes (or fails): the image's
 * name and the outcome, read from a polite live region. Results recalled
 * from the page's own store are announced as well, since they change what
 * is on screen too.
 */
export function useAnnouncements(state: QueueState): string {
  const seen = useRef(new Map<string, string>());
  const [message, setMessage] = useState('');
  useEffect(() => {
    const said: string[] = [];
    const next = new Map<string, string>();
    for (const item of state.items) {
      const mark = item.result ? `r:${item.result.url}` : item.error ? `e:${item.error.code}` : '';
      next.set(item.id, mark);
      if (mark === '' || seen.current.get(item.id) === mark) continue;
      if (item.busy) continue;
      said.push(
        item.error && !item.result
          ? `${item.file.name}: not converted. ${item.error.message}`
          : item.result
            ? `${item.file.name}: SVG ready, ${formatBytes(item.result.stats.bytes)}${item.result.stats.paths === null ? '' : `, ${item.result.stats.paths} paths`}.`
            : '',
      );
    }
    seen.current = next;
    const text = said.filter((s) => s !== '').join(' ');
    if (text !== '') setMessage(text);
  }, [state]);
  return message;
}
