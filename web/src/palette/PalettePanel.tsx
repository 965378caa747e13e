import { useEffect, useMemo, useState } from 'react';
import { areaShares } from './area-shares.js';
import { colourLayers, type LayerEdits } from './layers.js';

interface PalettePanelProps {
  /** The result as the service (or the engine in the page) made it. */
  readonly svg: string;
  readonly url: string;
  readonly edits: LayerEdits;
  readonly onEdits: (edits: LayerEdits) => void;
  /** Converts again with these colours as a fixed palette (the API's `palette`). */
  readonly onLock: (colours: string[]) => void;
  /** Whether the options hold a locked palette, and how to free it. */
  readonly locked: boolean;
  readonly onUnlock: () => void;
}

/**
 * One row per colour of the result: swatch, hex, share of the area, paths
 * and nodes. A layer can be hidden (in the view and in every export) or
 * recoloured; the colours can be locked, so the next conversions use exactly
 * them.
 */
export function PalettePanel({ svg, url, edits, onEdits, onLock, locked, onUnlock }: PalettePanelProps) {
  const layers = useMemo(() => colourLayers(svg), [svg]);
  const [shares, setShares] = useState<number[] | null>(null);
  useEffect(() => {
    let live = true;
    setShares(null);
    areaShares(
      url,
      layers.map((l) => l.colour),
    ).then(
      (s) => live && setShares(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [url, layers]);
  if (layers.length === 0) return null;
  const hidden = new Set(edits.hidden);
  const colourOf = (colour: string): string => edits.recolour[colour] ?? colour;

  return (
    <section className="palette" aria-labelledby="palette-title">
      <div className="palette-head">
        <h2 id="palette-title">
          Colours <span className="count">{layers.length}</span>
        </h2>
        {locked ? (
          <button type="button" className="button button-small" onClick={onUnlock}>
            Unlock colours
          </button>
        ) : (
          <button
            type="button"
            className="button button-small"
            onClick={() => onLock(layers.filter((l) => !hidden.has(l.colour)).map((l) => colourOf(l.colour)))}
            title="Convert again with exactly these colours (the palette option)"
          >
            Lock colours
          </button>
        )}
      </div>
      <table className="palette-table">
        <thead>
          <tr>
            <th scope="col">Show</th>
            <th scope="col">Colour</th>
            <th scope="col">Area</th>
            <th scope="col">Paths</th>
            <th scope="col">Nodes</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, i) => (
            <tr
              key={layer.colour}
              data-testid="palette-row"
              className={hidden.has(layer.colour) ? 'is-hidden' : ''}
            >
              <td>
                <input
                  type="checkbox"
                  checked={!hidden.has(layer.colour)}
                  aria-label={`Show ${layer.colour}`}
                  onChange={(e) =>
                    onEdits({
                      ...edits,
                      hidden: e.currentTarget.checked
                        ? edits.hidden.filter((c) => c !== layer.colour)
                        : [...edits.hidden, layer.colour],
                    })
                  }
                />
              </td>
              <td>
                <span className="palette-colour">
                  <input
                    type="color"
                    value={colourOf(layer.colour)}
                    aria-label={`Recolour ${layer.colour}`}
                    onChange={(e) =>
                      onEdits({
                        ...edits,
                        recolour: { ...edits.recolour, [layer.colour]: e.currentTarget.value },
                      })
                    }
                  />
                  <code>{colourOf(layer.colour)}</code>
                </span>
              </td>
              <td>{shares ? `${(shares[i] * 100).toFixed(1)}%` : '…'}</td>
              <td>{layer.paths}</td>
              <td>{layer.nodes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
