/**
 * Seeded choices, so every run of the benchmark builds the same image sets.
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast, and good enough
 * to pick samples.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
