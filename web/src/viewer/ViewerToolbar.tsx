import { useState } from 'react';
import { clampZoom, MAX_ZOOM, MIN_ZOOM } from './zoom-math.js';
import type { ZoomPan } from './use-zoom-pan.js';

export type Layout = 'side' | 'split';

/** What the panes show behind transparent parts: a checkerboard, white, black or a colour of one's own. */
export interface Backdrop {
  readonly kind: 'checker' | 'white' | 'black' | 'custom';
  readonly custom: string;
}

interface ViewerToolbarProps {
  readonly layout: Layout;
  readonly onLayout: (layout: Layout) => void;
  readonly outline: boolean;
  readonly onOutline: (outline: boolean) => void;
  readonly zoom: number;
  readonly zoomPan: ZoomPan;
  readonly backdrop: Backdrop;
  readonly onBackdrop: (backdrop: Backdrop) => void;
  readonly differences: boolean;
  /** Null while there is no heat map to show. */
  readonly onDifferences: ((on: boolean) => void) | null;
}

export function ViewerToolbar({
  layout,
  onLayout,
  outline,
  onOutline,
  zoom,
  zoomPan,
  backdrop,
  onBackdrop,
  differences,
  onDifferences,
}: ViewerToolbarProps) {
  return (
    <div className="viewer-toolbar">
      <fieldset className="segmented">
        <legend className="sr-only">Layout</legend>
        {(
          [
            ['side', 'Side by side'],
            ['split', 'Split'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className={layout === value ? 'is-checked' : undefined}>
            <input
              type="radio"
              name="layout"
              value={value}
              checked={layout === value}
              onChange={() => onLayout(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="switch">
        <input type="checkbox" checked={outline} onChange={(e) => onOutline(e.currentTarget.checked)} />
        <span className="switch-track" aria-hidden="true" />
        Outline paths
      </label>
      {onDifferences && (
        <label className="switch">
          <input
            type="checkbox"
            checked={differences}
            onChange={(e) => onDifferences(e.currentTarget.checked)}
          />
          <span className="switch-track" aria-hidden="true" />
          Differences
        </label>
      )}
      <div className="backdrop-controls">
        <label htmlFor="backdrop">Background</label>
        <select
          id="backdrop"
          value={backdrop.kind}
          onChange={(e) => onBackdrop({ ...backdrop, kind: e.currentTarget.value as Backdrop['kind'] })}
        >
          <option value="checker">Checkerboard</option>
          <option value="white">White</option>
          <option value="black">Black</option>
          <option value="custom">Custom colour</option>
        </select>
        {backdrop.kind === 'custom' && (
          <input
            type="color"
            aria-label="Background colour"
            value={backdrop.custom}
            onChange={(e) => onBackdrop({ kind: 'custom', custom: e.currentTarget.value })}
          />
        )}
      </div>
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={zoomPan.zoomOut} disabled={zoom <= MIN_ZOOM} aria-label="Zoom out">
          −
        </button>
        <ZoomBox zoom={zoom} onZoom={zoomPan.zoomTo} />
        <button type="button" onClick={zoomPan.zoomIn} disabled={zoom >= MAX_ZOOM} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={zoomPan.fit}>
          Fit
        </button>
        <button type="button" onClick={zoomPan.actualSize} title="Actual size (100%)">
          1:1
        </button>
      </div>
    </div>
  );
}

/** The zoom level, and a box to type one in (in percent; Enter or leaving the box applies it). */
function ZoomBox({ zoom, onZoom }: { readonly zoom: number; readonly onZoom: (zoom: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = `${Math.round(zoom * 100)}%`;
  const apply = (): void => {
    if (draft === null) return;
    const n = Number(draft.replace('%', '').trim());
    setDraft(null);
    if (Number.isFinite(n) && n > 0) onZoom(clampZoom(n / 100));
  };
  return (
    <input
      className="zoom-value"
      type="text"
      inputMode="decimal"
      aria-label="Zoom level in percent"
      data-testid="zoom-value"
      value={draft ?? shown}
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}
