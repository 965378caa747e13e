/**
 * The instant preview: as soon as an option changes (before the pause after
 * which the real conversion starts), the image on screen is traced in the
 * page's engine worker, first downscaled (a draft, in tens of milliseconds),
 * then at full size for images up to PREVIEW_FULL_PIXELS. A newer change
 * cancels both. The preview is shown until a result made with those options
 * arrives; it is never exported.
 */
import { useEffect, useState } from 'react';
import { isAbort } from '../api/api-error.js';
import { splitKey } from '../files/use-converter.js';
import type { Item } from '../files/queue.js';
import { previewEngine } from './local-engine.js';

/**
 * The drafts' larger sides, in pixels, smallest first: a rough one at once,
 * a finer one soon after (each only when smaller than the image).
 */
export const PREVIEW_DRAFT_SIDES = [160, 400] as const;
/** Up to this many pixels a full-size preview follows the drafts; larger images wait for the conversion. */
export const PREVIEW_FULL_PIXELS = 600_000;

export interface Preview {
  readonly itemId: string;
  readonly key: string;
  readonly url: string;
  readonly scale: 'draft' | 'full';
  /** The larger side the preview was traced at. */
  readonly side: number;
  /** Milliseconds from the option change to this preview's SVG. */
  readonly ms: number;
}

export function usePreview(item: Item | null, liveKey: string, enabled: boolean): Preview | null {
  const [preview, setPreview] = useState<Preview | null>(null);
  const itemId = item?.id ?? null;
  const size = item?.size ?? null;
  const current = item?.result?.key === liveKey;
  const file = item?.file ?? null;

  useEffect(() => {
    if (!enabled || itemId === null || file === null || size === null || current) {
      setPreview(null);
      return;
    }
    const controller = new AbortController();
    const t0 = performance.now();
    const { query } = splitKey(liveKey);
    const show = (svg: string, scale: Preview['scale'], side: number): void => {
      if (controller.signal.aborted) return;
      const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
      setPreview({ itemId, key: liveKey, url, scale, side, ms: performance.now() - t0 });
    };
    void (async () => {
      try {
        const pixels = size.width * size.height;
        const largest = Math.max(size.width, size.height);
        for (const side of PREVIEW_DRAFT_SIDES) {
          if (side >= largest || (side > PREVIEW_DRAFT_SIDES[0] && pixels <= PREVIEW_FULL_PIXELS)) continue;
          const draft = await previewEngine.convert(file, itemId, query, {
            signal: controller.signal,
            maxSide: side,
          });
          show(draft.svg, 'draft', side);
        }
        if (pixels <= PREVIEW_FULL_PIXELS) {
          const full = await previewEngine.convert(file, itemId, query, { signal: controller.signal });
          show(full.svg, 'full', largest);
        }
      } catch (error) {
        // A preview that fails says nothing: the real conversion reports the problem.
        if (!isAbort(error)) setPreview(null);
      }
    })();
    return () => controller.abort();
  }, [enabled, itemId, file, size, current, liveKey]);

  // An object URL lives as long as its preview is the one on screen.
  useEffect(() => {
    if (!preview) return;
    const url = preview.url;
    return () => URL.revokeObjectURL(url);
  }, [preview]);

  return preview;
}
