import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Item } from '../files/queue.js';
import { uniqueSvgNames } from './format.js';

/** Saves a blob under a file name through a temporary link (works for blob: URLs in every browser). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every finished SVG of the batch in one zip, deflated (SVG text shrinks several times). */
export function zipResults(items: readonly Item[]): Blob {
  const done = items.filter((item) => item.result !== null);
  const names = uniqueSvgNames(done.map((item) => item.file.name));
  const files: Zippable = {};
  done.forEach((item, i) => {
    files[names[i]] = [strToU8(item.result?.svg ?? ''), { level: 6 }];
  });
  const zipped = zipSync(files);
  return new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}

/** Copies text to the clipboard; falls back to a hidden text area where the Clipboard API is unavailable (plain http). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser refused to copy.');
}
