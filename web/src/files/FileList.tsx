import { saveBlob, zipResults } from '../result/downloads.js';
import { formatBytes, svgFileName } from '../result/format.js';
import type { Dispatch } from 'react';
import { useEffect, useRef } from 'react';
import { ANY_OPTIONS, FILE_ERRORS, isSettled, type Item, type QueueAction } from './queue.js';

interface FileListProps {
  readonly items: readonly Item[];
  readonly selectedId: string | null;
  readonly optionsKey: string;
  /** The key of the options on screen: results made with others are not exported. */
  readonly exportKey: string;
  readonly dispatch: Dispatch<QueueAction>;
}

/** An image whose export would not match the options on screen: no result yet, or an older one. */
function isUpdating(item: Item, key: string): boolean {
  if (item.errorKey === ANY_OPTIONS || item.errorKey === key) return false;
  return item.result?.key !== key;
}

function itemProgress(item: Item, key: string): number {
  if (isSettled(item, key)) return 100;
  return item.busy ? (item.progress ?? 0) : 0;
}

/** Every image dropped, its state, and the batch's progress and downloads. */
export function FileList({ items, selectedId, optionsKey, exportKey, dispatch }: FileListProps) {
  const settled = items.filter((item) => isSettled(item, optionsKey)).length;
  const withResult = items.filter((item) => item.result !== null).length;
  const updating = items.filter((item) => isUpdating(item, exportKey)).length;
  const list = useRef<HTMLUListElement>(null);
  /** After a removal, focus goes to the neighbour's row (or the add button when none is left). */
  const focusNext = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const target = focusNext.current;
    if (target === undefined) return;
    focusNext.current = undefined;
    const row =
      target === null
        ? null
        : list.current?.querySelector<HTMLElement>(`[data-item="${target}"] .file-select`);
    (row ?? document.querySelector<HTMLElement>('.dropzone button'))?.focus();
  }, [items]);
  const remove = (id: string): void => {
    const index = items.findIndex((item) => item.id === id);
    const rest = items.filter((item) => item.id !== id);
    const next = rest[Math.min(index, rest.length - 1)]?.id ?? null;
    // The list goes away with its last image: the add button, which stays, takes the focus now.
    if (next === null) document.querySelector<HTMLElement>('.dropzone button')?.focus();
    else focusNext.current = next;
    dispatch({ type: 'remove', id });
  };
  const progress =
    items.length === 0
      ? 0
      : items.reduce((sum, item) => sum + itemProgress(item, optionsKey), 0) / items.length;
  const batch = items.length > 1;

  return (
    <section className="files" aria-labelledby="files-title">
      <div className="files-head">
        <h2 id="files-title">
          Images <span className="count">{items.length}</span>
        </h2>
        <div className="files-actions">
          {batch && updating > 0 && (
            <span className="files-updating" data-testid="batch-updating">
              {updating} of {items.length} updating
            </span>
          )}
          {batch && (
            <button
              type="button"
              className="button button-small"
              disabled={withResult === 0 || updating > 0}
              onClick={() => saveBlob(zipResults(items), `image2svg-${withResult}-svg.zip`)}
            >
              Download all (.zip)
            </button>
          )}
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => dispatch({ type: 'clear' })}
          >
            Clear
          </button>
        </div>
      </div>
      {batch && (
        <div className="batch-progress">
          <div className="batch-progress-label" id="batch-label">
            <span>Batch</span>
            <span data-testid="batch-count">
              {settled} of {items.length} done
            </span>
          </div>
          <div
            className="progress"
            role="progressbar"
            aria-labelledby="batch-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress)}
            data-testid="batch-progress"
          >
            <div className="progress-fill" style={{ width: `${progress}%` }} />
          </div>
        </div>
      )}
      <ul className="file-list" ref={list}>
        {items.map((item) => (
          <FileRow
            key={item.id}
            item={item}
            selected={item.id === selectedId}
            settled={isSettled(item, optionsKey)}
            fresh={!isUpdating(item, exportKey)}
            dispatch={dispatch}
            onRemove={remove}
          />
        ))}
      </ul>
    </section>
  );
}

interface FileRowProps {
  readonly item: Item;
  readonly selected: boolean;
  readonly settled: boolean;
  readonly fresh: boolean;
  readonly dispatch: Dispatch<QueueAction>;
  readonly onRemove: (id: string) => void;
}

function FileRow({ item, selected, settled, fresh, dispatch, onRemove }: FileRowProps) {
  const state = item.busy ? 'converting' : item.error ? 'error' : item.result && settled ? 'done' : 'waiting';
  return (
    <li
      className={`file-row${selected ? ' is-selected' : ''}`}
      data-state={state}
      data-item={item.id}
      data-testid="file-row"
    >
      <button
        type="button"
        className="file-select"
        aria-current={selected ? 'true' : undefined}
        onClick={() => dispatch({ type: 'select', id: item.id })}
      >
        {item.size ? (
          <img className="thumb" src={item.originalUrl} alt="" loading="lazy" decoding="async" />
        ) : (
          <span className="thumb thumb-none" aria-hidden="true" />
        )}
        <span className="file-text">
          <span className="file-name">{item.file.name}</span>
          <span className="file-meta">
            {formatBytes(item.file.size)}
            {item.size && ` · ${item.size.width}×${item.size.height}`}
          </span>
          <FileState item={item} state={state} />
        </span>
      </button>
      <div className="file-row-actions">
        {item.result && (
          <button
            type="button"
            className="icon-button"
            aria-label={`Download the SVG of ${item.file.name}`}
            title={fresh ? 'Download SVG' : 'Updating to the new settings'}
            disabled={!fresh}
            onClick={() =>
              saveBlob(
                new Blob([item.result?.svg ?? ''], { type: 'image/svg+xml' }),
                svgFileName(item.file.name),
              )
            }
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" />
            </svg>
          </button>
        )}
        {state === 'error' &&
          item.error &&
          !FILE_ERRORS.has(item.error.code) &&
          item.error.code !== 'IMAGE_TOO_LARGE' && (
            <button
              type="button"
              className="icon-button"
              aria-label={`Try ${item.file.name} again`}
              title="Try again"
              onClick={() => dispatch({ type: 'retry', id: item.id })}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4" />
              </svg>
            </button>
          )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${item.file.name}`}
          title="Remove"
          onClick={() => onRemove(item.id)}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </div>
    </li>
  );
}

function FileState({ item, state }: { readonly item: Item; readonly state: string }) {
  if (state === 'converting') {
    return (
      <span className="file-state">
        {item.progress === null ? (
          <progress aria-label={`Converting ${item.file.name}`} />
        ) : (
          <progress max={100} value={item.progress} aria-label={`Converting ${item.file.name}`} />
        )}
        <span>
          {item.progress === null
            ? 'Converting…'
            : `${Math.round(item.progress)}%${item.stage ? ` · ${item.stage}` : ''}`}
        </span>
      </span>
    );
  }
  if (state === 'error' && item.error) {
    return (
      <span className="file-state file-error" data-testid="file-error">
        {item.error.message}
      </span>
    );
  }
  if (state === 'done' && item.result) {
    return <span className="file-state file-done">SVG · {formatBytes(item.result.stats.bytes)}</span>;
  }
  return <span className="file-state">{item.result ? 'Waiting to update' : 'Waiting'}</span>;
}
