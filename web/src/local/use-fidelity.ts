/**
 * How close the result on screen is to the original: the benchmark's SSIM
 * and mean ΔE (CIEDE2000), computed in the engine worker from the original
 * as the browser decodes it and the SVG as the browser draws it, plus a
 * heat map of where they differ. Images over FIDELITY_MAX_PIXELS are not
 * measured (the figures say so).
 */
import { useEffect, useState } from 'react';
import { isAbort } from '../api/api-error.js';
import type { Item } from '../files/queue.js';
import { conversionEngine } from './local-engine.js';

export const FIDELITY_MAX_PIXELS = 4_000_000;

export interface FidelityFigures {
  readonly url: string;
  readonly ssim: number;
  readonly deltaE: number;
  /** Object URL of the heat map (PNG). */
  readonly heatUrl: string;
}

async function drawSvg(url: string, width: number, height: number): Promise<ImageData> {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser gives no 2D canvas.');
  context.drawImage(image, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

async function heatPng(heat: ImageData): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = heat.width;
  canvas.height = heat.height;
  canvas.getContext('2d')?.putImageData(heat, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The heat map could not be made.');
  return URL.createObjectURL(blob);
}

export function useFidelity(item: Item | null): FidelityFigures | null {
  const [figures, setFigures] = useState<FidelityFigures | null>(null);
  const url = item?.result?.url ?? null;
  const size = item?.size ?? null;
  const file = item?.file ?? null;
  const id = item?.id ?? null;
  useEffect(() => {
    setFigures(null);
    if (!url || !size || !file || !id || size.width * size.height > FIDELITY_MAX_PIXELS) return;
    const controller = new AbortController();
    void (async () => {
      try {
        const rendered = await drawSvg(url, size.width, size.height);
        const f = await conversionEngine.fidelity(file, id, rendered, controller.signal);
        const heatUrl = await heatPng(f.heat);
        if (controller.signal.aborted) return URL.revokeObjectURL(heatUrl);
        setFigures({ url, ssim: f.ssim, deltaE: f.deltaE, heatUrl });
      } catch (error) {
        if (!isAbort(error)) setFigures(null);
      }
    })();
    return () => controller.abort();
  }, [url, size, file, id]);
  useEffect(() => {
    if (!figures) return;
    const heat = figures.heatUrl;
    return () => URL.revokeObjectURL(heat);
  }, [figures]);
  return figures;
}
