/**
 * Reading the service's SVG in the browser. The normal view shows it as an
 * <img src="blob:..."> (an image cannot run scripts); the outline view needs
 * the paths in the page, so it parses the text with DOMParser and keeps
 * only inert drawing elements before inserting them.
 */
import type { Size } from './zoom-math.js';

const DROP_ELEMENTS = 'script, foreignObject, iframe, object, embed, image, style, a, use, animate, set';

/** Width and height from the root element's viewBox (or width/height attributes). */
export function svgSize(svg: string): Size | null {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root) return null;
  const viewBox = /\sviewBox\s*=\s*["']([^"']+)["']/i.exec(root)?.[1];
  if (viewBox) {
    const parts = viewBox
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (parts.length === 4 && parts[2] > 0 && parts[3] > 0) return { width: parts[2], height: parts[3] };
  }
  const width = Number.parseFloat(/\swidth\s*=\s*["']([^"']+)["']/i.exec(root)?.[1] ?? '');
  const height = Number.parseFloat(/\sheight\s*=\s*["']([^"']+)["']/i.exec(root)?.[1] ?? '');
  return width > 0 && height > 0 ? { width, height } : null;
}

/** Parses SVG text into an inert <svg> element for the page, or null when it is not well-formed SVG. */
export function parseSafeSvg(svg: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.querySelector('parsererror') || root.localName !== 'svg') return null;
  for (const element of [...root.querySelectorAll(DROP_ELEMENTS)]) element.remove();
  for (const element of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...element.attributes]) {
      const name = attr.name.toLowerCase();
      const externalRef = (name === 'href' || name.endsWith(':href')) && !attr.value.startsWith('#');
      if (name.startsWith('on') || externalRef || name === 'style') element.removeAttribute(attr.name);
    }
  }
  root.removeAttribute('width');
  root.removeAttribute('height');
  return document.importNode(root, true) as unknown as SVGSVGElement;
}
