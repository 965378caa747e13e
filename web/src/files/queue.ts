/**
 * The list of images a person dropped, and the state of each conversion.
 * A pure reducer: the converter hook dispatches what happened, the
 * components read it. A result is kept while a newer one is being made, so
 * the screen never goes blank when an option changes.
 */
import type { Conversion } from '../api/conversion.js';

export interface ItemError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface ItemResult extends Conversion {
  /** Object URL of the SVG blob, for <img> and downloads. */
  readonly url: string;
  /** The options key it was made with. */
  readonly key: string;
}

export interface Item {
  readonly id: string;
  readonly file: File;
  /** Object URL of the original, for the preview. */
  readonly originalUrl: string;
  /** Pixel size as the browser decoded it; null when it cannot (e.g. TIFF); undefined while probing. */
  readonly size: { readonly width: number; readonly height: number } | null | undefined;
  readonly busy: boolean;
  /** 0-100 while a background job runs, null for a direct request. */
  readonly progress: number | null;
  readonly stage: string | null;
  readonly result: ItemResult | null;
  readonly error: ItemError | null;
  /** The options key the error came with: the same options are not retried on their own. */
  readonly errorKey: string | null;
  /** Number of the last conversion job whose outcome is in this state (0: none yet); the converter waits for it. */
  readonly settledJob: number;
  /** The service's id of this file once uploaded in chunks: re-conversions send it instead of the file. */
  readonly uploadId: string | null;
  /** Recent results, newest first (the current one included), so going back to a setting shows it at once. */
  readonly recent: readonly ItemResult[];
}

/** How many results per image the page keeps for going back to a setting already seen. */
export const RECENT_RESULTS = 8;

export interface QueueState {
  readonly items: readonly Item[];
  readonly selectedId: string | null;
}

export type QueueAction =
  | { type: 'add'; items: readonly Item[] }
  | { type: 'remove'; id: string }
  | { type: 'clear' }
  | { type: 'select'; id: string }
  | { type: 'size'; id: string; size: Item['size'] }
  | { type: 'start'; id: string; background: boolean }
  | { type: 'progress'; id: string; progress: number; stage: string | null }
  | { type: 'done'; id: string; job: number; result: ItemResult }
  | { type: 'failed'; id: string; job: number; error: ItemError; key: string }
  | { type: 'idle'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'retryUnauthorized' }
  | { type: 'uploaded'; id: string; uploadId: string | null }
  | { type: 'recall'; id: string; key: string };

export const EMPTY_QUEUE: QueueState = { items: [], selectedId: null };

export function newItem(id: string, file: File, originalUrl: string): Item {
  return {
    id,
    file,
    originalUrl,
    size: undefined,
    busy: false,
    progress: null,
    stage: null,
    result: null,
    error: null,
    errorKey: null,
    settledJob: 0,
    uploadId: null,
    recent: [],
  };
}

function update(state: QueueState, id: string, change: (item: Item) => Item): QueueState {
  return { ...state, items: state.items.map((item) => (item.id === id ? change(item) : item)) };
}

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  switch (action.type) {
    case 'add':
      // What was just added is what the person wants to see.
      return {
        items: [...state.items, ...action.items],
        selectedId: action.items[0]?.id ?? state.selectedId,
      };
    case 'remove': {
      const index = state.items.findIndex((item) => item.id === action.id);
      const items = state.items.filter((item) => item.id !== action.id);
      const selectedId =
        state.selectedId === action.id
          ? (items[Math.min(index, items.length - 1)]?.id ?? null)
          : state.selectedId;
      return { items, selectedId };
    }
    case 'clear':
      return EMPTY_QUEUE;
    case 'select':
      return { ...state, selectedId: action.id };
    case 'size':
      return update(state, action.id, (item) => ({ ...item, size: action.size }));
    case 'start':
      return update(state, action.id, (item) => ({
        ...item,
        busy: true,
        progress: action.background ? 0 : null,
        stage: null,
      }));
    case 'progress':
      // The contract says progress never decreases; hold the line anyway so a late event cannot move the bar back.
      return update(state, action.id, (item) => ({
        ...item,
        progress: Math.max(item.progress ?? 0, Math.min(100, action.progress)),
        stage: action.stage ?? item.stage,
      }));
    case 'done':
      return update(state, action.id, (item) => ({
        ...item,
        busy: false,
        progress: item.progress === null ? null : 100,
        result: action.result,
        error: null,
        errorKey: null,
        settledJob: action.job,
        recent: remember(item.recent, action.result),
      }));
    case 'recall': {
      return update(state, action.id, (item) => {
        const result = item.recent.find((r) => r.key === action.key);
        if (!result) return item;
        return { ...item, result, error: null, errorKey: null, recent: remember(item.recent, result) };
      });
    }
    case 'uploaded':
      return update(state, action.id, (item) => ({ ...item, uploadId: action.uploadId }));
    case 'failed':
      return update(state, action.id, (item) => ({
        ...item,
        busy: false,
        error: action.error,
        errorKey: action.key,
        settledJob: action.job,
      }));
    case 'idle':
      return update(state, action.id, (item) => ({ ...item, busy: false }));
    case 'retry':
      return update(state, action.id, (item) => ({ ...item, error: null, errorKey: null }));
    case 'retryUnauthorized':
      // A new API key: images refused with 401 are tried again.
      return {
        ...state,
        items: state.items.map((item) =>
          item.error?.status === 401 ? { ...item, error: null, errorKey: null } : item,
        ),
      };
  }
}

/** A small LRU: the result moves to the front, the oldest beyond RECENT_RESULTS goes. */
function remember(recent: readonly ItemResult[], result: ItemResult): ItemResult[] {
  return [result, ...recent.filter((r) => r.key !== result.key)].slice(0, RECENT_RESULTS);
}

/** A result the page kept for these options, if any. */
export function recalled(item: Item, key: string): ItemResult | null {
  return item.recent.find((r) => r.key === key) ?? null;
}

/** The errorKey of a failure no option can fix (the file itself is refused): it is not retried. */
export const ANY_OPTIONS = '*';

/** Refusals about the file, not the options; IMAGE_TOO_LARGE is not one of them, as `resize` fixes it. */
export const FILE_ERRORS: ReadonlySet<string> = new Set([
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'FILE_TOO_LARGE',
  'EMPTY_INPUT',
  'MISSING_FILE',
]);

/** True when the item has no result or error for these options yet. */
export function needsWork(item: Item, key: string): boolean {
  if (item.size === undefined) return false;
  if (item.result?.key === key) return false;
  return item.errorKey !== key && item.errorKey !== ANY_OPTIONS;
}

/** Settled for these options: a fresh result, or an error these options (or any) gave. */
export function isSettled(item: Item, key: string): boolean {
  return !item.busy && (item.result?.key === key || item.errorKey === key || item.errorKey === ANY_OPTIONS);
}
