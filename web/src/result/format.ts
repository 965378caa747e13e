/** Human-readable figures for the stats bar. */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `photo.png` -> `photo.svg`; names without an extension get one. */
export function svgFileName(name: string): string {
  const base = name.replace(/\.[^./\\]+$/, '') || 'image';
  return `${base}.svg`;
}

/** The PNG export's name: `logo.png` → `logo.svg.png`, so it never takes the original's name. */
export function pngFileName(name: string): string {
  return `${svgFileName(name)}.png`;
}

/** The name of another format written by the service: `logo.png` → `logo.pdf`. */
export function otherFileName(name: string, format: string): string {
  return svgFileName(name).replace(/\.svg$/, `.${format}`);
}

/** File names for the zip, made unique: two `logo.png` from different folders become `logo.svg` and `logo-2.svg`. */
export function uniqueSvgNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const svg = svgFileName(name);
    let candidate = svg;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = svg.replace(/\.svg$/, `-${n}.svg`);
    used.add(candidate.toLowerCase());
    return candidate;
  });
}
