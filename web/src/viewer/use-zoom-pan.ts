/**
 * Shared zoom and pan state for the comparison panes, with the gestures that
 * drive it: wheel (or trackpad pinch) zooms around the pointer, dragging
 * pans, two fingers pinch-zoom, and the keyboard does both (+ - 0 1 and the
 * arrow keys) for people who do not use a pointer. The view follows "fit"
 * until the person zooms or pans, then stays where they put it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { centred, fitView, panBy, zoomAt, type Size, type View } from './zoom-math.js';

const STEP = 1.25;
const KEY_PAN = 48;

export interface ZoomPan {
  readonly view: View;
  /** Ref callback for each pane: measures it and binds the gestures. */
  readonly bindPane: (element: HTMLElement | null) => (() => void) | undefined;
  readonly zoomIn: () => void;
  readonly zoomOut: () => void;
  readonly fit: () => void;
  readonly actualSize: () => void;
  /** Zooms to `zoom` (1 = 100%) around the panes' centre, as typed in the zoom box. */
  readonly zoomTo: (zoom: number) => void;
}

/** `resetKey` names what is shown (the image): a new one fits the view again. */
export function useZoomPan(content: Size | null, resetKey: string): ZoomPan {
  const [view, setViewState] = useState<View>({ zoom: 1, x: 0, y: 0 });
  const viewRef = useRef(view);
  const following = useRef(true);
  const pane = useRef<Size>({ width: 0, height: 0 });
  const contentRef = useRef(content);
  contentRef.current = content;

  const setView = useCallback((next: View, byPerson: boolean) => {
    if (byPerson) following.current = false;
    viewRef.current = next;
    setViewState(next);
  }, []);

  const fit = useCallback(() => {
    following.current = true;
    if (contentRef.current) setView(fitView(contentRef.current, pane.current), false);
  }, [setView]);

  const contentKey = content ? `${resetKey}:${content.width}x${content.height}` : '';
  useEffect(() => {
    if (contentKey !== '') fit();
  }, [contentKey, fit]);

  const zoomCentre = useCallback(
    (factor: number) =>
      setView(zoomAt(viewRef.current, factor, pane.current.width / 2, pane.current.height / 2), true),
    [setView],
  );

  const actualSize = useCallback(() => {
    const c = contentRef.current;
    if (!c) return;
    const v = viewRef.current;
    // Keep the image point at the pane's centre where it is.
    const cx = (pane.current.width / 2 - v.x) / v.zoom;
    const cy = (pane.current.height / 2 - v.y) / v.zoom;
    const base = centred(c, pane.current, 1);
    setView({ zoom: 1, x: base.x + (c.width / 2 - cx), y: base.y + (c.height / 2 - cy) }, true);
  }, [setView]);

  const bindPane = useCallback(
    (element: HTMLElement | null) => {
      if (element === null) return undefined;
      // React 19 calls the returned function when the pane unmounts.
      return bindGestures(element, {
        view: () => viewRef.current,
        set: (next) => setView(next, true),
        resized: (size) => {
          pane.current = size;
          if (following.current && contentRef.current) setView(fitView(contentRef.current, size), false);
        },
        keys: { zoomIn: () => zoomCentre(STEP), zoomOut: () => zoomCentre(1 / STEP), fit, actualSize },
      });
    },
    [setView, zoomCentre, fit, actualSize],
  );

  return {
    view,
    bindPane,
    zoomIn: () => zoomCentre(STEP),
    zoomOut: () => zoomCentre(1 / STEP),
    fit,
    actualSize,
    zoomTo: (zoom: number) => zoomCentre(zoom / viewRef.current.zoom),
  };
}

interface GestureTarget {
  view(): View;
  set(view: View): void;
  resized(size: Size): void;
  keys: { zoomIn(): void; zoomOut(): void; fit(): void; actualSize(): void };
}

function bindGestures(element: HTMLElement, target: GestureTarget): () => void {
  const pointers = new Map<number, { x: number; y: number }>();
  const local = (e: { clientX: number; clientY: number }): { x: number; y: number } => {
    const rect = element.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const p = local(e);
    const pixels = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    target.set(zoomAt(target.view(), Math.exp(-pixels * 0.0025), p.x, p.y));
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('[data-no-pan]')) return;
    element.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, local(e));
    element.classList.add('is-panning');
  };

  const onPointerMove = (e: PointerEvent): void => {
    const previous = pointers.get(e.pointerId);
    if (!previous) return;
    const p = local(e);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.entries()].map(([id, q]) => (id === e.pointerId ? p : q));
      const [a0, b0] = [...pointers.values()];
      const before = Math.hypot(a0.x - b0.x, a0.y - b0.y);
      const after = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      const midBefore = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 };
      const zoomed = before > 0 ? zoomAt(target.view(), after / before, mid.x, mid.y) : target.view();
      target.set(panBy(zoomed, mid.x - midBefore.x, mid.y - midBefore.y));
    } else {
      target.set(panBy(target.view(), p.x - previous.x, p.y - previous.y));
    }
    pointers.set(e.pointerId, p);
  };

  const onPointerUp = (e: PointerEvent): void => {
    pointers.delete(e.pointerId);
    if (pointers.size === 0) element.classList.remove('is-panning');
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.target !== element || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = e.shiftKey ? KEY_PAN * 4 : KEY_PAN;
    const actions: Record<string, () => void> = {
      '+': target.keys.zoomIn,
      '=': target.keys.zoomIn,
      '-': target.keys.zoomOut,
      '0': target.keys.fit,
      '1': target.keys.actualSize,
      ArrowLeft: () => target.set(panBy(target.view(), step, 0)),
      ArrowRight: () => target.set(panBy(target.view(), -step, 0)),
      ArrowUp: () => target.set(panBy(target.view(), 0, step)),
      ArrowDown: () => target.set(panBy(target.view(), 0, -step)),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  const observer = new ResizeObserver(([entry]) => {
    if (entry) target.resized({ width: entry.contentRect.width, height: entry.contentRect.height });
  });
  observer.observe(element);
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  element.addEventListener('pointercancel', onPointerUp);
  element.addEventListener('keydown', onKeyDown);
  return () => {
    observer.disconnect();
    element.removeEventListener('wheel', onWheel);
    element.removeEventListener('pointerdown', onPointerDown);
    element.removeEventListener('pointermove', onPointerMove);
    element.removeEventListener('pointerup', onPointerUp);
    element.removeEventListener('pointercancel', onPointerUp);
    element.removeEventListener('keydown', onKeyDown);
  };
}
