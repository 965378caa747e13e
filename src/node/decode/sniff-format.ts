/**
 * Format detection from magic bytes only: a file name or a client's content
 * type is never trusted. For bytes that are no supported image, `describeBytes`
 * names what they look like, so the error tells a person what they sent.
 */
import type { ImageFormat } from './types.js';

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];

/** The supported format the bytes start with, or null. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('BM')) return 'bmp';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  if (
    startsWith(bytes, TIFF_LE) ||
    startsWith(bytes, TIFF_BE) ||
    startsWith(bytes, BIGTIFF_LE) ||
    startsWith(bytes, BIGTIFF_BE)
  ) {
    return 'tiff';
  }
  return null;
}

/** ISO base media brands (the `ftyp` box) of formats people often send by mistake. */
const FTYP_BRANDS: Readonly<Record<string, string>> = {
  avif: 'AVIF image',
  avis: 'AVIF image sequence',
  heic: 'HEIC image',
  heix: 'HEIC image',
  mif1: 'HEIF image',
  msf1: 'HEIF image sequence',
  jxl: 'JPEG XL image',
  isom: 'MP4 video',
  mp41: 'MP4 video',
  mp42: 'MP4 video',
  qt: 'QuickTime video',
};

/** Signatures of things that are not a supported image, checked in order. */
const KNOWN: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'PDF document'],
  [[0x25, 0x21, 0x50, 0x53], 'PostScript document'],
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP archive (or an Office document)'],
  [[0x1f, 0x8b], 'gzip-compressed data'],
  [[0x38, 0x42, 0x50, 0x53], 'Photoshop document (PSD)'],
  [[0x00, 0x00, 0x01, 0x00], 'Windows icon (ICO)'],
  [[0xff, 0x0a], 'JPEG XL image'],
  [[0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20], 'JPEG XL image'],
  [[0x49, 0x49, 0xbc], 'JPEG XR image'],
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF executable'],
];

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    // Tab, newline, carriage return, printable ASCII, and any UTF-8 lead or continuation byte.
    if (!(b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127))) return false;
  }
  return true;
}

function hex(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * A short description of bytes that `sniffFormat` did not recognise, for an
 * error message: a named format when its signature is known, "text" when it
 * is text, otherwise the first bytes in hex.
 */
export function describeBytes(bytes: Uint8Array): string {
  for (const [magic, name] of KNOWN) if (startsWith(bytes, magic)) return name;
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12).trim();
    return FTYP_BRANDS[brand] ?? `ISO media file (brand "${brand}")`;
  }
  if (ascii(bytes, 0, 4) === 'RIFF') return `RIFF container (${ascii(bytes, 8, 12).trim() || 'unknown'})`;
  if (looksLikeText(bytes)) {
    const text = new TextDecoder()
      .decode(bytes.subarray(0, 512))
      .replace(/^\uFEFF/, '')
      .trimStart();
    const lower = text.slice(0, 256).toLowerCase();
    if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) return 'HTML document';
    if (lower.startsWith('<') && lower.includes('<svg')) return 'SVG/XML text';
    if (lower.startsWith('<')) return 'XML/markup text';
    if (lower.startsWith('{') || lower.startsWith('[')) return 'JSON text';
    return 'plain text';
  }
  return `unrecognised bytes (starts with ${hex(bytes, 8)})`;
}
