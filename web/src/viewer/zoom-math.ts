/**
 * Zoom and pan as one affine map from image pixels to pane pixels:
 * screen = image * zoom + (x, y). Both panes of the comparison share it, so
 * the original and the SVG always show the same spot at the same scale.
 */
export interface View {
  readonly zoom: number;
  readonly x: number;
  readonly y: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export const MIN_ZOOM = 0.02;
/** 32x: individual pixels of the original are large squares, enough to judge edges at sub-pixel level. */
export const MAX_ZOOM = 32;
/** Zoom at or above which the original is drawn with nearest-neighbour sampling, so its pixels show. */
export const PIXELATED_FROM = 2;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/**
 * The whole image, centred, with a small margin, as large as the pane allows:
 * small images (a 32 px icon) are enlarged to fill it, up to MAX_ZOOM.
 */
export function fitView(content: Size, pane: Size): View {
  if (content.width <= 0 || content.height <= 0 || pane.width <= 0 || pane.height <= 0)
    return { zoom: 1, x: 0, y: 0 };
  const zoom = clampZoom(
    Math.min((pane.width * 0.94) / content.width, (pane.height * 0.94) / content.height),
  );
  return centred(content, pane, zoom);
}

export function centred(content: Size, pane: Size, zoom: number): View {
  return { zoom, x: (pane.width - content.width * zoom) / 2, y: (pane.height - content.height * zoom) / 2 };
}

/** Zooms by `factor` keeping the image point under the pane point (ax, ay) where it is. */
export function zoomAt(view: View, factor: number, ax: number, ay: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const k = zoom / view.zoom;
  return { zoom, x: ax - (ax - view.x) * k, y: ay - (ay - view.y) * k };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { zoom: view.zoom, x: view.x + dx, y: view.y + dy };
}
