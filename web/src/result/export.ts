/** Exports besides the SVG file: a PNG at any scale, the SVG as a data URI, other formats from the service. */
import { apiFetch, type RequestContext } from '../api/http.js';
import { fileForm } from '../api/conversion.js';

/** Draws the SVG at `scale` times its size into a canvas and answers it as a PNG. */
export async function svgToPng(svgUrl: string, width: number, height: number, scale: number): Promise<Blob> {
  const image = new Image();
  image.src = svgUrl;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser gives no 2D canvas.');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))),
      'image/png',
    ),
  );
}

/** `data:image/svg+xml;base64,...` for pasting into CSS or HTML. */
export function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The same conversion in another format written by the service (`format=pdf|eps|dxf`). */
export async function convertToFormat(
  file: File,
  query: URLSearchParams,
  format: string,
  ctx: RequestContext,
): Promise<Blob> {
  const withFormat = new URLSearchParams(query);
  withFormat.set('format', format);
  const response = await apiFetch('/convert', ctx, { method: 'POST', body: fileForm(file) }, withFormat);
  return response.blob();
}
