import { useRef } from 'react';
import { saveBlob } from '../result/downloads.js';
import type { UiOptions } from '../options/model.js';
import { fromRecipe, toRecipe, type History } from './use-history.js';

interface HistoryBarProps {
  readonly history: History;
  readonly options: UiOptions;
  readonly onOptions: (options: UiOptions) => void;
  readonly onNotice: (message: string) => void;
}

/** Undo and redo of settings, and recipes (the settings as a JSON file) to save and load. */
export function HistoryBar({ history, options, onOptions, onNotice }: HistoryBarProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="history-bar" role="toolbar" aria-label="Settings history">
      <button
        type="button"
        className="button button-small"
        disabled={!history.canUndo}
        onClick={history.undo}
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="button button-small"
        disabled={!history.canRedo}
        onClick={history.redo}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
      <button
        type="button"
        className="button button-small button-quiet"
        onClick={() =>
          saveBlob(
            new Blob([`${JSON.stringify(toRecipe(options), null, 2)}\n`], { type: 'application/json' }),
            'image2svg-recipe.json',
          )
        }
      >
        Save recipe
      </button>
      <button
        type="button"
        className="button button-small button-quiet"
        onClick={() => input.current?.click()}
      >
        Load recipe
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        className="sr-only"
        tabIndex={-1}
        aria-label="Recipe file to load"
        data-testid="recipe-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!file) return;
          file.text().then(
            (text) => {
              try {
                onOptions(fromRecipe(text));
                onNotice('Recipe loaded.');
              } catch (error) {
                onNotice(error instanceof Error ? error.message : String(error));
              }
            },
            () => onNotice('Could not read the file.'),
          );
        }}
      />
    </div>
  );
}
