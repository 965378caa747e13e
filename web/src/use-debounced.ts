import { useEffect, useState } from 'react';

/** The value as it was `ms` after it last changed: a slider drag becomes one conversion, not fifty. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
