/**
 * Conformance suite of RateLimiter: the memory and the Redis limiter run
 * these same tests. The factory gets a controllable clock and makes a limiter
 * with counts of its own (a fresh key prefix for Redis).
 */
import { describe, expect, it } from 'vitest';
import type { LimitDecision, RateLimiter } from '../../src/server/ratelimit/types.js';
import { fakeClock, type FakeClock } from './cache-conformance.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export function rateLimiterConformance(
  name: string,
  create: (opts: { limit: number; clock: FakeClock }) => RateLimiter,
) {
  /** A clock 10 minutes into a window. */
  const clockAt10 = () => fakeClock(400 * HOUR + 10 * MINUTE);
  const hit = async (limiter: RateLimiter, client: string): Promise<LimitDecision> => {
    const d = await limiter.hit(client);
    if (d === null) throw new Error('the request was not counted');
    return d;
  };

  describe(`RateLimiter conformance: ${name}`, () => {
    it('allows `limit` requests per client, then refuses, counting each client on its own', async () => {
      const limiter = create({ limit: 3, clock: clockAt10() });
      expect(limiter.limit).toBe(3);
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await hit(limiter, 'ip:10.0.0.1'));
      expect(seen.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      for (const d of seen) expect(d).toMatchObject({ limit: 3, resetSeconds: 50 * 60 });
      expect(await hit(limiter, 'ip:10.0.0.2')).toMatchObject({ allowed: true, remaining: 2 });
      expect(await hit(limiter, 'key:abc')).toMatchObject({ allowed: true, remaining: 2 });
      expect(await hit(limiter, 'ip:10.0.0.1')).toMatchObject({ allowed: false, remaining: 0 });
      await limiter.close();
    });

    it('resets every client when the window ends, and counts the new window from zero', async () => {
      const clock = clockAt10();
      const limiter = create({ limit: 2, clock });
      await hit(limiter, 'a');
      clock.advance(20 * MINUTE);
      await hit(limiter, 'a');
      await hit(limiter, 'b');
      const refused = await hit(limiter, 'a');
      expect(refused).toMatchObject({ allowed: false, resetSeconds: 30 * 60 });
      clock.advance(30 * MINUTE - 1);
      expect(await hit(limiter, 'a')).toMatchObject({ allowed: false, resetSeconds: 1 });
      clock.advance(1);
      expect(await hit(limiter, 'a')).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 3600 });
      expect(await hit(limiter, 'b')).toMatchObject({ allowed: true, remaining: 1 });
      await limiter.close();
    });

    it('takes the reset time from the window, not from the client’s first request', async () => {
      const clock = clockAt10();
      const limiter = create({ limit: 5, clock });
      expect((await hit(limiter, 'early')).resetSeconds).toBe(50 * 60);
      clock.advance(45 * MINUTE + 500);
      expect((await hit(limiter, 'late')).resetSeconds).toBe(5 * 60);
      expect((await hit(limiter, 'early')).resetSeconds).toBe(5 * 60);
      await limiter.close();
    });
  });
}
