/**
 * Conformance suite of ResultCache: every implementation (memory now, Redis
 * later) runs these same tests. The factory gets a controllable clock.
 */
import { describe, expect, it } from 'vitest';
import type { ResultCache } from '../../src/server/cache/types.js';

export interface FakeClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export function cacheConformance(
  name: string,
  create: (opts: { maxEntries: number; clock: FakeClock }) => ResultCache,
) {
  describe(`ResultCache conformance: ${name}`, () => {
    it('misses, then hits after set, and counts both', async () => {
      const cache = create({ maxEntries: 10, clock: fakeClock() });
      expect(await cache.get('a')).toBeUndefined();
      await cache.set('a', '<svg/>', 60);
      expect(await cache.get('a')).toBe('<svg/>');
      expect(await cache.stats()).toEqual({ hits: 1, misses: 1, total_keys: 1 });
      await cache.close();
    });

    it('expires an entry after its TTL', async () => {
      const clock = fakeClock();
      const cache = create({ maxEntries: 10, clock });
      await cache.set('a', 'x', 2);
      clock.advance(1999);
      expect(await cache.get('a')).toBe('x');
      clock.advance(1);
      expect(await cache.get('a')).toBeUndefined();
      expect((await cache.stats()).total_keys).toBe(0);
    });

    it('overwrites and deletes', async () => {
      const cache = create({ maxEntries: 10, clock: fakeClock() });
      await cache.set('a', '1', 60);
      await cache.set('a', '2', 60);
      expect(await cache.get('a')).toBe('2');
      await cache.delete('a');
      expect(await cache.get('a')).toBeUndefined();
      await cache.delete('never-set');
    });

    it('evicts the least recently used entry past its capacity', async () => {
      const cache = create({ maxEntries: 2, clock: fakeClock() });
      await cache.set('a', '1', 60);
      await cache.set('b', '2', 60);
      expect(await cache.get('a')).toBe('1');
      await cache.set('c', '3', 60);
      expect(await cache.get('b')).toBeUndefined();
      expect(await cache.get('a')).toBe('1');
      expect(await cache.get('c')).toBe('3');
      expect((await cache.stats()).total_keys).toBe(2);
    });

    it('keeps large values and unicode intact and answers ping', async () => {
      const cache = create({ maxEntries: 2, clock: fakeClock() });
      const big = `<svg>${'é✓'.repeat(200_000)}</svg>`;
      await cache.set('k', big, 60);
      expect(await cache.get('k')).toBe(big);
      expect(await cache.ping()).toBe(true);
    });
  });
}
