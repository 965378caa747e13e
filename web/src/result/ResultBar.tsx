import { useState } from 'react';
import type { Item } from '../files/queue.js';
import { svgSize } from '../viewer/svg-markup.js';
import { svgDataUri, svgToPng } from './export.js';
import { copyText, saveBlob } from './downloads.js';
import {
  formatBytes,
  formatCount,
  formatSeconds,
  otherFileName,
  pngFileName,
  svgFileName,
} from './format.js';

interface ResultBarProps {
  readonly item: Item;
  /** The current options' key: a result made with others is stale and is not exported. */
  readonly optionsKey: string;
  /** The mode of the result, and whether `auto` picked it. */
  readonly mode?: { readonly label: string; readonly auto: boolean } | null;
  readonly onNotice: (message: string) => void;
  /** Formats the service writes besides SVG (from its API description); empty for none. */
  readonly formats?: readonly string[];
  readonly onFormat?: (format: string) => Promise<Blob>;
  /** SSIM and mean ΔE of this result against the original, once measured in the page. */
  readonly fidelity?: { readonly ssim: number; readonly deltaE: number } | null;
}

/** What the person got (bytes, paths, nodes, time, cache) and the ways to take it away. */
export function ResultBar({
  item,
  optionsKey,
  mode = null,
  onNotice,
  formats = [],
  onFormat,
  fidelity = null,
}: ResultBarProps) {
  const [pngScale, setPngScale] = useState(2);
  const result = item.result;
  if (!result) return null;
  const stale = result.key !== optionsKey;
  const size = item.size ?? svgSize(result.svg);
  const { stats } = result;
  const ratio = item.file.size > 0 ? stats.bytes / item.file.size : null;
  const figures: [string, string, string][] = [
    [
      'Size',
      formatBytes(stats.bytes),
      ratio === null ? '' : `${Math.round(ratio * 100)}% of the original file`,
    ],
    ['Paths', stats.paths === null ? '—' : formatCount(stats.paths), 'SVG path elements'],
    [
      'Nodes',
      stats.nodes === null ? '—' : formatCount(stats.nodes),
      'points and curve segments in all paths',
    ],
    [
      'Time',
      stats.seconds === null ? '—' : formatSeconds(stats.seconds),
      stats.via === 'local' ? 'decoding and tracing in this browser' : 'processing time on the service',
    ],
    ['Cache', stats.cache ?? '—', 'HIT: the same image and options were converted before'],
  ];
  if (mode)
    figures.push([
      'Mode',
      mode.auto ? `${mode.label} (auto)` : mode.label,
      mode.auto ? 'the mode auto picked for this image' : 'the mode chosen',
    ]);
  if (stats.preset) figures.push(['Preset', stats.preset, 'the preset the service used']);
  figures.push(
    [
      'SSIM',
      fidelity ? fidelity.ssim.toFixed(3) : '…',
      'structural similarity to the original (1 = identical), as in the benchmark',
    ],
    [
      'ΔE',
      fidelity ? fidelity.deltaE.toFixed(2) : '…',
      'mean CIEDE2000 colour difference per pixel (about 1 is just noticeable)',
    ],
  );

  const copy = (): void => {
    copyText(result.svg).then(
      () => onNotice('SVG copied to the clipboard.'),
      () => onNotice('Could not copy: the browser refused access to the clipboard.'),
    );
  };

  return (
    <div className="result-bar">
      <dl className="stats" data-testid="stats">
        {figures.map(([name, value, title]) => (
          <div key={name} className="stat" title={title}>
            <dt>{name}</dt>
            <dd data-stat={name.toLowerCase()}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="result-actions">
        {stale && (
          <span className="result-stale" data-testid="result-stale">
            Updating to the new settings…
          </span>
        )}
        <button
          type="button"
          className="button button-primary"
          disabled={stale}
          onClick={() =>
            saveBlob(new Blob([result.svg], { type: 'image/svg+xml' }), svgFileName(item.file.name))
          }
        >
          Download SVG
        </button>
        <button type="button" className="button" onClick={copy} disabled={stale}>
          Copy SVG
        </button>
        <details className="export-more">
          <summary className="button">More exports</summary>
          <div className="export-menu">
            <div className="export-png">
              <label htmlFor="png-scale">PNG scale</label>
              <input
                id="png-scale"
                type="number"
                min={0.1}
                max={32}
                step={0.5}
                value={pngScale}
                onChange={(e) => {
                  const n = Number(e.currentTarget.value);
                  if (Number.isFinite(n) && n > 0 && n <= 32) setPngScale(n);
                }}
              />
              <button
                type="button"
                className="button"
                disabled={stale || !size}
                onClick={() => {
                  if (!size) return;
                  svgToPng(result.url, size.width, size.height, pngScale).then(
                    (png) => saveBlob(png, pngFileName(item.file.name)),
                    () => onNotice('Could not make the PNG in this browser.'),
                  );
                }}
              >
                Download PNG
              </button>
            </div>
            <button
              type="button"
              className="button"
              disabled={stale}
              onClick={() =>
                copyText(svgDataUri(result.svg)).then(
                  () => onNotice('Data URI copied to the clipboard.'),
                  () => onNotice('Could not copy: the browser refused access to the clipboard.'),
                )
              }
            >
              Copy as data URI
            </button>
            {onFormat &&
              formats.map((format) => (
                <button
                  key={format}
                  type="button"
                  className="button"
                  disabled={stale}
                  onClick={() =>
                    onFormat(format).then(
                      (blob) => saveBlob(blob, otherFileName(item.file.name, format)),
                      (error: unknown) =>
                        onNotice(
                          `Could not make the ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
                        ),
                    )
                  }
                >
                  Download {format.toUpperCase()}
                </button>
              ))}
          </div>
        </details>
      </div>
    </div>
  );
}
