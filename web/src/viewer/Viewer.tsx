import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import type { Item } from '../files/queue.js';
import { OriginalLayer, OutlineLayer, SvgLayer } from './Layers.js';
import type { Preview } from '../local/use-preview.js';
import { SplitDivider } from './SplitDivider.js';
import { svgSize } from './svg-markup.js';
import { useZoomPan } from './use-zoom-pan.js';
import { ViewerToolbar, type Backdrop, type Layout } from './ViewerToolbar.js';
import type { Size, View } from './zoom-math.js';

const PANE_HINT =
  'Drag or use the arrow keys to pan; wheel, pinch or + and - to zoom; 0 fits, 1 is actual size; hold O to see the original.';
/** Zoom from which lines are drawn between the original's pixels. */
export const PIXEL_GRID_FROM = 8;

/** True while the O key is held outside text fields: the result panes show the original instead. */
function usePeek(): boolean {
  const [peek, setPeek] = useState(false);
  useEffect(() => {
    const isPeekKey = (e: KeyboardEvent): boolean =>
      e.key.toLowerCase() === 'o' && !e.ctrlKey && !e.metaKey && !e.altKey;
    const down = (e: KeyboardEvent): void => {
      if (!isPeekKey(e) || (e.target as HTMLElement | null)?.closest('input, select, textarea')) return;
      setPeek(true);
    };
    const up = (e: KeyboardEvent): void => {
      if (isPeekKey(e)) setPeek(false);
    };
    const reset = (): void => setPeek(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', reset);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', reset);
    };
  }, []);
  return peek;
}

function PixelGrid({ view }: { readonly view: View }) {
  if (view.zoom < PIXEL_GRID_FROM) return null;
  return (
    <div
      className="pixel-grid"
      data-testid="pixel-grid"
      aria-hidden="true"
      style={{
        backgroundSize: `${view.zoom}px ${view.zoom}px`,
        backgroundPosition: `${view.x}px ${view.y}px`,
      }}
    />
  );
}

function initialLayout(): Layout {
  return window.matchMedia('(max-width: 720px)').matches ? 'split' : 'side';
}

/**
 * The comparison: the original and the SVG side by side, or one over the
 * other with a draggable divider, always at the same zoom and position.
 */
/** The offer made for an image over the service's size limit. */
export interface ShrinkOffer {
  readonly maxSide: number;
  readonly apply: () => void;
}

const BACKDROP_KEY = 'image2svg.backdrop';

function initialBackdrop(): Backdrop {
  try {
    const saved = JSON.parse(localStorage.getItem(BACKDROP_KEY) ?? 'null') as Backdrop | null;
    if (saved && typeof saved.kind === 'string' && typeof saved.custom === 'string') return saved;
  } catch {
    // A broken entry is replaced on the next change.
  }
  return { kind: 'checker', custom: '#7f8c8d' };
}

function backdropStyle(backdrop: Backdrop): CSSProperties | undefined {
  const colour = { white: '#ffffff', black: '#000000', custom: backdrop.custom, checker: null }[
    backdrop.kind
  ];
  return colour ? { background: colour } : undefined;
}

interface ViewerProps {
  readonly item: Item;
  readonly shrink?: ShrinkOffer | null;
  /** The in-browser preview of the options on screen, drawn over a stale result until the new one arrives. */
  readonly preview?: Preview | null;
  /** Heat map of where the result differs from the original (PNG object URL), once measured. */
  readonly heatUrl?: string | null;
}

export function Viewer({ item, shrink = null, preview = null, heatUrl = null }: ViewerProps) {
  const [differences, setDifferences] = useState(false);
  const [layout, setLayout] = useState<Layout>(initialLayout);
  const [backdrop, setBackdropState] = useState<Backdrop>(initialBackdrop);
  const setBackdrop = (next: Backdrop): void => {
    setBackdropState(next);
    localStorage.setItem(BACKDROP_KEY, JSON.stringify(next));
  };
  const paneStyle = backdropStyle(backdrop);
  const [outline, setOutline] = useState(false);
  const [split, setSplit] = useState(50);
  const content = item.size ?? (item.result ? svgSize(item.result.svg) : null);
  const shownPreview = preview && preview.itemId === item.id ? preview : null;
  const zoomPan = useZoomPan(content, item.id);
  const { view } = zoomPan;

  const original =
    item.size && content ? (
      <OriginalLayer src={item.originalUrl} view={view} size={content} />
    ) : (
      <p className="pane-message">
        This browser cannot show this image format; the SVG is still made by the service.
      </p>
    );
  const peek = usePeek() && item.size !== null && item.size !== undefined;
  const result =
    content && peek ? (
      <OriginalLayer src={item.originalUrl} view={view} size={content} peek />
    ) : content && differences && heatUrl && item.size ? (
      <>
        <OriginalLayer src={item.originalUrl} view={view} size={content} faded />
        <img
          className="layer layer-heat"
          src={heatUrl}
          alt={`Where the SVG of ${item.file.name} differs from the original`}
          draggable={false}
          style={{
            width: `${content.width * view.zoom}px`,
            height: `${content.height * view.zoom}px`,
            transform: `translate(${view.x}px, ${view.y}px)`,
          }}
        />
      </>
    ) : content ? (
      resultLayers(item, view, content, outline, shownPreview)
    ) : null;
  const grid = <PixelGrid view={view} />;
  const status = <ResultStatus item={item} shrink={shrink} preview={shownPreview} />;

  return (
    <section className="viewer" aria-label="Compare original and SVG">
      <ViewerToolbar
        layout={layout}
        onLayout={setLayout}
        outline={outline}
        onOutline={setOutline}
        zoom={view.zoom}
        zoomPan={zoomPan}
        backdrop={backdrop}
        onBackdrop={setBackdrop}
        differences={differences}
        onDifferences={heatUrl ? setDifferences : null}
      />
      {layout === 'side' ? (
        <div className="panes panes-side">
          <Pane label="Original" bind={zoomPan.bindPane} badge="Original" style={paneStyle}>
            {original}
            {grid}
          </Pane>
          <Pane
            label="SVG result"
            bind={zoomPan.bindPane}
            badge={peek ? 'Original (peek)' : outline ? 'SVG outline' : 'SVG'}
            testId="svg-pane"
            style={paneStyle}
          >
            {result}
            {grid}
            {status}
          </Pane>
        </div>
      ) : (
        <div className="panes panes-split">
          <Pane label="Original and SVG, split" bind={zoomPan.bindPane} testId="svg-pane" style={paneStyle}>
            {original}
            {result && (
              <div className="split-clip" style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
                {result}
              </div>
            )}
            {grid}
            <span className="pane-badge">Original</span>
            <span className="pane-badge pane-badge-right">{outline ? 'SVG outline' : 'SVG'}</span>
            <SplitDivider position={split} onChange={setSplit} />
            {status}
          </Pane>
        </div>
      )}
      <p className="hint" id="pane-hint">
        {PANE_HINT}
      </p>
    </section>
  );
}

function resultLayers(
  item: Item,
  view: View,
  size: Size,
  outline: boolean,
  preview: Preview | null,
): ReactNode {
  const previewLayer = preview && (
    <img
      className="layer layer-preview"
      src={preview.url}
      alt={`Preview of ${item.file.name}`}
      draggable={false}
      data-testid="preview"
      data-scale={preview.scale}
      data-side={preview.side}
      data-key={preview.key}
      style={{
        width: `${size.width * view.zoom}px`,
        height: `${size.height * view.zoom}px`,
        transform: `translate(${view.x}px, ${view.y}px)`,
      }}
    />
  );
  if (!item.result) return previewLayer;
  if (!outline)
    return (
      <>
        <SvgLayer
          src={item.result.url}
          view={view}
          size={size}
          label={`SVG of ${item.file.name}`}
          covered={previewLayer !== null}
        />
        {previewLayer}
      </>
    );
  return (
    <>
      {item.size && <OriginalLayer src={item.originalUrl} view={view} size={size} faded />}
      <OutlineLayer svg={item.result.svg} view={view} size={size} />
    </>
  );
}

/** The service's messages speak API ("Send resize=true"); the page offers a button for that instead. */
function friendlyMessage(message: string): string {
  return message.replace(/\.?\s*Send resize=true to downscale it\.?/, '.').replace(/\s*\([A-Z_]+\)/g, '');
}

interface PaneProps {
  readonly label: string;
  readonly bind: (element: HTMLElement | null) => (() => void) | undefined;
  readonly badge?: string;
  readonly testId?: string;
  readonly style?: CSSProperties;
  readonly children: ReactNode;
}

function Pane({ label, bind, badge, testId, style, children }: PaneProps) {
  return (
    <div
      className="pane"
      style={style}
      ref={bind}
      tabIndex={0}
      role="group"
      aria-label={label}
      aria-describedby="pane-hint"
      data-testid={testId}
    >
      {children}
      {badge && <span className="pane-badge">{badge}</span>}
    </div>
  );
}

/** What is happening to the result: converting (with progress), updating, or why it failed. */
interface ResultStatusProps {
  readonly item: Item;
  readonly shrink: ShrinkOffer | null;
  readonly preview: Preview | null;
}

function ResultStatus({ item, shrink, preview }: ResultStatusProps) {
  if (item.error && !item.busy) {
    const tooLarge = item.error.code === 'IMAGE_TOO_LARGE';
    return (
      <div className="pane-error" role="alert" data-no-pan>
        <strong>{tooLarge ? 'Too large' : item.error.code}</strong> {friendlyMessage(item.error.message)}
        {tooLarge && shrink && (
          <button type="button" className="button button-primary pane-error-action" onClick={shrink.apply}>
            Shrink to {shrink.maxSide} px and convert
          </button>
        )}
      </div>
    );
  }
  if (!item.busy) {
    return preview ? (
      <div className="pane-updating" data-testid="preview-badge">
        Preview{preview.scale === 'draft' ? ' (draft)' : ''}
      </div>
    ) : null;
  }
  const label = item.progress === null ? 'Converting…' : `Converting… ${Math.round(item.progress)}%`;
  return (
    <div className={item.result ? 'pane-updating' : 'pane-converting'} aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {preview
        ? `Preview${preview.scale === 'draft' ? ' (draft)' : ''} · updating…`
        : item.result
          ? 'Updating…'
          : label}
      {item.progress !== null && (
        <progress
          className="pane-progress"
          max={100}
          value={item.progress}
          aria-label="Conversion progress"
        />
      )}
    </div>
  );
}
