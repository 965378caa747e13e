/** Conformance suite of UploadStore: memory now, Redis later. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/errors.js';
import type { UploadStore } from '../../src/server/uploads/types.js';
import { fakeClock, type FakeClock } from './cache-conformance.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected the call to fail');
}

export function uploadStoreConformance(
  name: string,
  create: (opts: { ttlSeconds: number; maxBytes: number; clock: FakeClock }) => UploadStore,
) {
  describe(`UploadStore conformance: ${name}`, () => {
    it('takes chunks in any order and assembles them in index order', async () => {
      const store = create({ ttlSeconds: 60, maxBytes: 1000, clock: fakeClock() });
      expect(await store.putChunk('u1', 2, 3, bytes(5, 6))).toEqual({
        upload_id: 'u1',
        received: [2],
        total_chunks: 3,
        complete: false,
      });
      await store.putChunk('u1', 0, 3, bytes(1, 2));
      const last = await store.putChunk('u1', 1, 3, bytes(3, 4));
      expect(last).toMatchObject({ received: [0, 1, 2], complete: true });
      expect([...(await store.assemble('u1'))]).toEqual([1, 2, 3, 4, 5, 6]);
      expect([...(await store.assemble('u1'))]).toEqual([1, 2, 3, 4, 5, 6]);
      await store.close();
    });

    it('accepts the same chunk twice and refuses different bytes for it', async () => {
      const store = create({ ttlSeconds: 60, maxBytes: 1000, clock: fakeClock() });
      await store.putChunk('u', 0, 2, bytes(1, 2));
      expect((await store.putChunk('u', 0, 2, bytes(1, 2))).received).toEqual([0]);
      expect(await code(store.putChunk('u', 0, 2, bytes(9, 9)))).toBe('CHUNK_CONFLICT');
      expect(await code(store.putChunk('u', 1, 3, bytes(1)))).toBe('CHUNK_CONFLICT');
      await store.putChunk('u', 1, 2, bytes(3));
      await store.assemble('u');
      expect((await store.putChunk('u', 1, 2, bytes(3))).complete).toBe(true);
      expect(await code(store.putChunk('u', 1, 2, bytes(4)))).toBe('CHUNK_CONFLICT');
    });

    it('refuses an index out of range', async () => {
      const store = create({ ttlSeconds: 60, maxBytes: 1000, clock: fakeClock() });
      expect(await code(store.putChunk('u', 3, 3, bytes(1)))).toBe('CHUNK_OUT_OF_RANGE');
      expect(await code(store.putChunk('u', -1, 3, bytes(1)))).toBe('CHUNK_OUT_OF_RANGE');
    });

    it('names the missing chunks when asked to assemble too early', async () => {
      const store = create({ ttlSeconds: 60, maxBytes: 1000, clock: fakeClock() });
      await store.putChunk('u', 1, 4, bytes(1));
      await expect(store.assemble('u')).rejects.toThrow(/missing chunks: 0, 2, 3/);
      expect(await code(store.assemble('u'))).toBe('UPLOAD_INCOMPLETE');
    });

    it('refuses an upload over maxBytes', async () => {
      const store = create({ ttlSeconds: 60, maxBytes: 4, clock: fakeClock() });
      await store.putChunk('u', 0, 2, bytes(1, 2, 3));
      expect(await code(store.putChunk('u', 1, 2, bytes(4, 5)))).toBe('FILE_TOO_LARGE');
    });

    it('expires idle uploads: storage freed, 410 afterwards, 404 for unknown ids', async () => {
      const clock = fakeClock();
      const store = create({ ttlSeconds: 10, maxBytes: 1000, clock });
      await store.putChunk('u', 0, 2, bytes(1, 2, 3));
      clock.advance(9_000);
      await store.putChunk('u', 1, 2, bytes(4));
      clock.advance(9_000);
      expect((await store.status('u')).received).toEqual([0, 1]);
      expect(await store.bytesHeld()).toBe(4);
      clock.advance(1_001);
      expect(await store.sweep()).toBe(1);
      expect(await store.bytesHeld()).toBe(0);
      expect(await code(store.status('u'))).toBe('UPLOAD_EXPIRED');
      expect(await code(store.assemble('u'))).toBe('UPLOAD_EXPIRED');
      expect(await code(store.status('other'))).toBe('NOT_FOUND');
      expect((await store.putChunk('u', 0, 1, bytes(7))).received).toEqual([0]);
    });

    it('deletes an upload', async () => {
      const store = create({ ttlSeconds: 10, maxBytes: 1000, clock: fakeClock() });
      await store.putChunk('u', 0, 1, bytes(1));
      await store.delete('u');
      expect(await code(store.status('u'))).toBe('NOT_FOUND');
    });
  });
}
