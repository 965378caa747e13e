/** The UI's queue of images: selection, progress that never moves back, stale and settled results, retries. */
import { describe, expect, it } from 'vitest';
import {
  ANY_OPTIONS,
  EMPTY_QUEUE,
  isSettled,
  needsWork,
  newItem,
  queueReducer,
  recalled,
  RECENT_RESULTS,
  type Item,
  type ItemResult,
  type QueueState,
} from '../../web/src/files/queue.js';

const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/png' });

function queueOf(...names: string[]): QueueState {
  const items = names.map((name, i) => ({
    ...newItem(`f${i}`, file(name), `blob:${i}`),
    size: { width: 10, height: 10 },
  }));
  return queueReducer(EMPTY_QUEUE, { type: 'add', items });
}

function result(key: string): ItemResult {
  const stats = {
    bytes: 10,
    paths: 1,
    nodes: 4,
    seconds: 0.01,
    cache: 'MISS',
    preset: null,
    via: 'direct',
  } as const;
  return { svg: '<svg/>', stats, url: `blob:svg-${key}`, key };
}

const item = (state: QueueState, id: string): Item => state.items.find((i) => i.id === id) as Item;

describe('queue reducer', () => {
  it('selects the first image added, and a neighbour when the selected one is removed', () => {
    let state = queueOf('a.png', 'b.png', 'c.png');
    expect(state.selectedId).toBe('f0');
    state = queueReducer(state, { type: 'select', id: 'f2' });
    state = queueReducer(state, { type: 'remove', id: 'f2' });
    expect(state.selectedId).toBe('f1');
    state = queueReducer(state, { type: 'remove', id: 'f0' });
    expect(state.selectedId).toBe('f1');
    state = queueReducer(state, { type: 'remove', id: 'f1' });
    expect(state).toEqual({ items: [], selectedId: null });
  });

  it('shows the image just added, even when another was on screen', () => {
    let state = queueOf('a.png');
    const added = { ...newItem('g1', file('new.png'), 'blob:new'), size: { width: 5, height: 5 } };
    state = queueReducer(state, { type: 'add', items: [added] });
    expect(state.selectedId).toBe('g1');
  });

  it('keeps recent results per image and recalls one for options seen before, oldest dropped first', () => {
    let state = queueOf('a.png');
    for (let i = 0; i < RECENT_RESULTS + 1; i++)
      state = queueReducer(state, { type: 'done', id: 'f0', job: i + 1, result: result(`k${i}`) });
    expect(item(state, 'f0').recent.map((r) => r.key)).toHaveLength(RECENT_RESULTS);
    expect(recalled(item(state, 'f0'), 'k0')).toBeNull();
    expect(recalled(item(state, 'f0'), 'k3')?.url).toBe('blob:svg-k3');
    state = queueReducer(state, { type: 'recall', id: 'f0', key: 'k3' });
    expect(item(state, 'f0').result?.key).toBe('k3');
    expect(item(state, 'f0').recent[0].key).toBe('k3');
    expect(needsWork(item(state, 'f0'), 'k3')).toBe(false);
  });

  it('never moves a background job’s progress back, and caps it at 100', () => {
    let state = queueReducer(queueOf('a.png'), { type: 'start', id: 'f0', background: true });
    expect(item(state, 'f0').progress).toBe(0);
    for (const [progress, expected] of [
      [40, 40],
      [25, 40],
      [130, 100],
    ]) {
      state = queueReducer(state, { type: 'progress', id: 'f0', progress, stage: 'trace' });
      expect(item(state, 'f0').progress).toBe(expected);
    }
    expect(item(state, 'f0').stage).toBe('trace');
  });

  it('keeps the previous result while a new one is made, and replaces it when it arrives', () => {
    let state = queueReducer(queueOf('a.png'), { type: 'done', id: 'f0', job: 1, result: result('k1') });
    state = queueReducer(state, { type: 'start', id: 'f0', background: false });
    expect(item(state, 'f0').result?.key).toBe('k1');
    expect(isSettled(item(state, 'f0'), 'k2')).toBe(false);
    state = queueReducer(state, { type: 'done', id: 'f0', job: 2, result: result('k2') });
    expect(item(state, 'f0')).toMatchObject({
      busy: false,
      error: null,
      settledJob: 2,
      result: { key: 'k2' },
    });
    expect(isSettled(item(state, 'f0'), 'k2')).toBe(true);
  });
});

describe('which images need converting', () => {
  it('waits for the size probe, then converts until a result for these options exists', () => {
    const probing = newItem('f0', file('a.png'), 'blob:0');
    expect(needsWork(probing, 'k')).toBe(false);
    const ready = { ...probing, size: null };
    expect(needsWork(ready, 'k')).toBe(true);
    expect(needsWork({ ...ready, result: result('k') }, 'k')).toBe(false);
    expect(needsWork({ ...ready, result: result('old') }, 'k')).toBe(true);
  });

  it('does not retry an error with the same options, but does with new ones, unless the file itself is refused', () => {
    const base = { ...newItem('f0', file('a.png'), 'blob:0'), size: null };
    const error = { status: 504, code: 'TIMEOUT', message: 'too slow' };
    expect(needsWork({ ...base, error, errorKey: 'k' }, 'k')).toBe(false);
    expect(needsWork({ ...base, error, errorKey: 'k' }, 'k2')).toBe(true);
    const refused = { ...base, error: { ...error, code: 'UNSUPPORTED_FORMAT' }, errorKey: ANY_OPTIONS };
    expect(needsWork(refused, 'k2')).toBe(false);
    expect(isSettled(refused, 'k2')).toBe(true);
  });

  it('retries only the images refused for want of an API key when a key is entered', () => {
    let state = queueOf('a.png', 'b.png');
    state = queueReducer(state, {
      type: 'failed',
      id: 'f0',
      job: 1,
      key: 'k',
      error: { status: 401, code: 'UNAUTHORIZED', message: 'key' },
    });
    state = queueReducer(state, {
      type: 'failed',
      id: 'f1',
      job: 2,
      key: 'k',
      error: { status: 415, code: 'UNSUPPORTED_FORMAT', message: 'no' },
    });
    expect([item(state, 'f0').settledJob, item(state, 'f1').settledJob]).toEqual([1, 2]);
    state = queueReducer(state, { type: 'retryUnauthorized' });
    expect(needsWork(item(state, 'f0'), 'k')).toBe(true);
    expect(needsWork(item(state, 'f1'), 'k')).toBe(false);
  });

  it('tries an image again on request, with the same options', () => {
    let state = queueOf('a.png');
    state = queueReducer(state, {
      type: 'failed',
      id: 'f0',
      job: 1,
      key: 'k',
      error: { status: 504, code: 'TIMEOUT', message: 'slow' },
    });
    expect(needsWork(item(state, 'f0'), 'k')).toBe(false);
    state = queueReducer(state, { type: 'retry', id: 'f0' });
    expect(item(state, 'f0')).toMatchObject({ error: null, errorKey: null });
    expect(needsWork(item(state, 'f0'), 'k')).toBe(true);
  });
});
