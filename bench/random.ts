/**
 * Seeded choices, so every run of the benchmark builds the same image sets,
 * with the engine's own seeded generator (mulberry32).
 */
import { mulberry32 } from '../src/engine/color/kmeans.js';

export { mulberry32 };

/** `count` items of `items` (sorted first, so the file system's order does not matter), chosen by `seed`. */
export function seededSample<T extends string>(items: readonly T[], count: number, seed: number): T[] {
  const pool = [...items].sort();
  const rand = mulberry32(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/** An integer in [min, max] for item `key`, the same in every run. */
export function seededSize(key: string, min: number, max: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 2654435761) >>> 0;
  return min + Math.floor(mulberry32(h)() * (max - min + 1));
}
