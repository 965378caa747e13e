import { describe, expect, it } from 'vitest';
import { PixelBudget, type Waiting } from '../../src/server/pool/pixel-budget.js';

const waiting = (...pixels: number[]): Waiting[] => pixels.map((p) => ({ pixels: p, passes: 0 }));

describe('PixelBudget', () => {
  it('admits what fits beside the running conversions, up to the limit exactly', () => {
    const b = new PixelBudget(100, 4);
    expect(b.fits(100)).toBe(true);
    b.take(60);
    expect(b.fits(40)).toBe(true);
    expect(b.fits(41)).toBe(false);
    b.take(40);
    expect(b.used).toBe(100);
    b.release(60);
    expect(b.fits(60)).toBe(true);
  });

  it('says when an image alone is over the budget (it can never run)', () => {
    const b = new PixelBudget(100, 4);
    expect(b.exceeds(100)).toBe(false);
    expect(b.exceeds(101)).toBe(true);
  });

  it('starts the first waiting conversion that fits: small ones pass a big one waiting for room', () => {
    const b = new PixelBudget(100, 4);
    b.take(70); // a big one running
    const queue = waiting(80, 10, 20);
    expect(b.next(queue)).toBe(1);
    expect(queue[0].passes).toBe(1);
    queue.splice(1, 1);
    b.take(10);
    expect(b.next(queue)).toBe(1);
    expect(queue[0].passes).toBe(2);
  });

  it('lets a waiting conversion be passed at most maxPasses times, then holds everything behind it', () => {
    const b = new PixelBudget(100, 2);
    b.take(70);
    const queue = waiting(80, 1, 1, 1);
    expect(b.next(queue)).toBe(1);
    queue.splice(1, 1);
    expect(b.next(queue)).toBe(1);
    queue.splice(1, 1);
    expect(queue[0].passes).toBe(2);
    expect(b.next(queue)).toBe(-1);
    b.release(70);
    expect(b.next(queue)).toBe(0);
  });

  it('keeps arrival order among conversions that fit', () => {
    const b = new PixelBudget(100, 4);
    expect(b.next(waiting(30, 30, 30))).toBe(0);
  });

  it('admits a newcomer at once only when it fits and nobody waiting ahead could start or is owed the turn', () => {
    const b = new PixelBudget(100, 1);
    b.take(70);
    expect(b.admitsNow([], 30)).toBe(true);
    expect(b.admitsNow([], 31)).toBe(false);
    expect(b.admitsNow(waiting(80), 10)).toBe(true);
    expect(b.admitsNow(waiting(20), 10)).toBe(false);
    expect(b.admitsNow([{ pixels: 80, passes: 1 }], 10)).toBe(false);
  });

  it('with no budget (Infinity) admits everything', () => {
    const b = new PixelBudget(Infinity, 4);
    b.take(1e12);
    expect(b.exceeds(1e15)).toBe(false);
    expect(b.next(waiting(1e12))).toBe(0);
  });
});
