import { MAX_ZOOM, MIN_ZOOM } from './zoom-math.js';
import type { ZoomPan } from './use-zoom-pan.js';

export type Layout = 'side' | 'split';

interface ViewerToolbarProps {
  readonly layout: Layout;
  readonly onLayout: (layout: Layout) => void;
  readonly outline: boolean;
  readonly onOutline: (outline: boolean) => void;
  readonly zoom: number;
  readonly zoomPan: ZoomPan;
}

export function ViewerToolbar({ layout, onLayout, outline, onOutline, zoom, zoomPan }: ViewerToolbarProps) {
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
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={zoomPan.zoomOut} disabled={zoom <= MIN_ZOOM} aria-label="Zoom out">
          −
        </button>
        <output className="zoom-value" aria-label="Zoom level" data-testid="zoom-value">
          {Math.round(zoom * 100)}%
        </output>
        <button type="button" onClick={zoomPan.zoomIn} disabled={zoom >= MAX_ZOOM} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={zoomPan.fit}>
          Fit
        </button>
        <button type="button" onClick={zoomPan.actualSize} aria-label="Actual size (100%)">
          1:1
        </button>
      </div>
    </div>
  );
}
