import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { ApiError } from './api/api-error.js';
import { fetchOutputFormats } from './api/formats.js';
import { fetchServiceInfo, fetchServiceSettings, type ServiceInfo } from './api/service-info.js';
import { convertToFormat } from './result/export.js';
import { applyEdits, hasEdits, NO_EDITS, type LayerEdits } from './palette/layers.js';
import { PalettePanel } from './palette/PalettePanel.js';
import { HistoryBar } from './history/HistoryBar.js';
import { initialOptions, useHistory } from './history/use-history.js';
import type { Item } from './files/queue.js';
import { ApiKeyDialog } from './auth/ApiKeyDialog.js';
import { loadApiKey, storeApiKey } from './auth/api-key-store.js';
import { addFiles } from './files/add-files.js';
import { DropZone } from './files/DropZone.js';
import { FileList } from './files/FileList.js';
import { EMPTY_QUEUE, queueReducer } from './files/queue.js';
import { LOCAL_PREFIX, useConverter, type ServiceLimits } from './files/use-converter.js';
import { usePreview } from './local/use-preview.js';
import { useFidelity } from './local/use-fidelity.js';
import { useAnnouncements } from './files/use-announcements.js';
import { useObjectUrlCleanup } from './files/use-object-url-cleanup.js';
import { usePageFiles } from './files/use-page-files.js';
import { MODE_LABELS, modeOf, setOption, toQuery, type UiOptions } from './options/model.js';
import { OptionsPanel } from './options/OptionsPanel.js';
import { ResultBar } from './result/ResultBar.js';
import { useDebounced } from './use-debounced.js';
import { Viewer } from './viewer/Viewer.js';

/** How long options must stay still before the image is converted again. */
const RECONVERT_DELAY_MS = 400;
/** localStorage: local mode on ('1') or off. */
const LOCAL_KEY = 'image2svg.local';

interface KeyPrompt {
  readonly open: boolean;
  readonly reason: string | null;
}

export function App() {
  const [queue, dispatch] = useReducer(queueReducer, EMPTY_QUEUE);
  const [options, setOptions] = useState<UiOptions>(initialOptions);
  const settledOptions = useDebounced(options, RECONVERT_DELAY_MS);
  const history = useHistory(settledOptions, setOptions);
  const query = useMemo(() => toQuery(settledOptions), [settledOptions]);
  const [local, setLocal] = useState(() => localStorage.getItem(LOCAL_KEY) === '1');
  const keyPrefix = local ? LOCAL_PREFIX : '';
  const [apiKey, setApiKey] = useState(loadApiKey);
  const [keyPrompt, setKeyPrompt] = useState<KeyPrompt>({ open: false, reason: null });
  const [notice, setNotice] = useState('');
  const [info, setInfo] = useState<ServiceInfo | 'loading' | 'locked' | 'down'>('loading');

  const onUnauthorized = useCallback(
    (error: ApiError) => setKeyPrompt({ open: true, reason: error.message }),
    [],
  );
  const [limits, setLimits] = useState<ServiceLimits | null>(null);
  const [formats, setFormats] = useState<string[]>([]);
  useConverter({
    state: queue,
    dispatch,
    optionsKey: keyPrefix + query.toString(),
    apiKey,
    onUnauthorized,
    limits,
  });
  const announcement = useAnnouncements(queue);
  useObjectUrlCleanup(queue);
  const onFiles = useCallback((files: File[]) => addFiles(files, dispatch), []);
  const dragging = usePageFiles(onFiles);

  useEffect(() => {
    const controller = new AbortController();
    fetchServiceInfo(apiKey, controller.signal).then(setInfo, (error: unknown) => {
      if (controller.signal.aborted) return;
      setInfo(error instanceof ApiError && error.status === 401 ? 'locked' : 'down');
    });
    return () => controller.abort();
  }, [apiKey]);

  useEffect(() => {
    const controller = new AbortController();
    fetchServiceSettings(apiKey, controller.signal).then(
      (settings) =>
        setLimits({
          maxSide: settings.max_image_dimension ?? Number.POSITIVE_INFINITY,
          maxBytes: settings.max_upload_size ?? Number.POSITIVE_INFINITY,
        }),
      () => undefined,
    );
    fetchOutputFormats(apiKey, controller.signal).then(setFormats, () => setFormats([]));
    return () => controller.abort();
  }, [apiKey]);

  useEffect(() => {
    if (notice === '') return;
    const timer = window.setTimeout(() => setNotice(''), 3000);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const saveKey = (key: string): void => {
    storeApiKey(key);
    setApiKey(key);
    setKeyPrompt({ open: false, reason: null });
    dispatch({ type: 'retryUnauthorized' });
    setNotice(key === '' ? 'API key forgotten.' : 'API key saved in this browser.');
  };

  const selectedItem = queue.items.find((item) => item.id === queue.selectedId) ?? null;
  const [layerEdits, setLayerEdits] = useState<Readonly<Record<string, LayerEdits>>>({});
  const edits = (selectedItem && layerEdits[selectedItem.id]) ?? NO_EDITS;
  const selected = useEditedItem(selectedItem, edits);
  const fidelity = useFidelity(selected);
  const switchLocal = (on: boolean): void => {
    localStorage.setItem(LOCAL_KEY, on ? '1' : '0');
    setLocal(on);
    setNotice(on ? 'Converting in this browser: nothing is uploaded.' : 'Converting on the service.');
  };
  const pickedPreset = options.preset === 'auto' ? (selected?.result?.stats.preset ?? null) : null;
  const hasItems = queue.items.length > 0;
  const resultMode = selected?.result ? modeOf(settledOptions, selected.result.stats.preset) : null;
  const modeShown = resultMode
    ? {
        label: MODE_LABELS[resultMode],
        auto: settledOptions.preset === 'auto' && settledOptions.overrides.mode === undefined,
      }
    : null;
  const currentKey = keyPrefix + query.toString();
  // Exports compare with the options on screen, not the settled ones: during the pause too, a result
  // made with other settings is not taken away.
  const liveKey = useMemo(() => keyPrefix + toQuery(options).toString(), [keyPrefix, options]);
  const preview = usePreview(selected, liveKey, true);
  const shrink =
    limits && Number.isFinite(limits.maxSide)
      ? { maxSide: limits.maxSide, apply: () => setOptions((o) => setOption(o, 'resize', true)) }
      : null;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M5 25 L13 9 L19 19 L22 14 L27 25 Z" />
            <circle cx="23" cy="8" r="3" />
          </svg>
          <h1 className="brand-name">image2svg</h1>
          <span className="brand-tagline">Images to clean, compact SVG</span>
        </div>
        <div className="header-actions">
          <label
            className="switch"
            title="Convert in this browser: nothing is uploaded, and it works offline"
          >
            <input type="checkbox" checked={local} onChange={(e) => switchLocal(e.currentTarget.checked)} />
            <span className="switch-track" aria-hidden="true" />
            Local mode
          </label>
          <button
            type="button"
            className="button button-small"
            onClick={() => setKeyPrompt({ open: true, reason: null })}
          >
            <span className={`key-dot${apiKey ? ' is-set' : ''}`} aria-hidden="true" />
            {apiKey ? 'API key set' : 'API key'}
          </button>
        </div>
      </header>

      <main className={`workspace${hasItems ? '' : ' is-empty'}`}>
        <div className="area-drop">
          <DropZone onFiles={onFiles} compact={hasItems} dragging={dragging} />
        </div>
        {hasItems && (
          <div className="area-files">
            <FileList
              items={queue.items}
              selectedId={queue.selectedId}
              optionsKey={currentKey}
              exportKey={liveKey}
              dispatch={dispatch}
            />
          </div>
        )}
        <div className="area-options">
          <HistoryBar history={history} options={options} onOptions={setOptions} onNotice={setNotice} />
          {selectedItem?.result && (
            <PalettePanel
              svg={selectedItem.result.svg}
              url={selectedItem.result.url}
              edits={edits}
              locked={typeof options.overrides.palette === 'string'}
              onUnlock={() =>
                setOptions((o) => ({ ...o, overrides: { ...o.overrides, palette: undefined } }))
              }
              onEdits={(next) => setLayerEdits((all) => ({ ...all, [selectedItem.id]: next }))}
              onLock={(colours) => {
                setLayerEdits((all) => ({ ...all, [selectedItem.id]: NO_EDITS }));
                setOptions((o) => ({
                  ...o,
                  overrides: { ...o.overrides, mode: 'color', palette: colours.join(',') },
                }));
              }}
            />
          )}
          <OptionsPanel options={options} onChange={setOptions} pickedPreset={pickedPreset} />
        </div>
        {selected && (
          <div className="area-stage">
            <Viewer
              item={selected}
              shrink={shrink}
              preview={preview}
              heatUrl={fidelity && fidelity.url === selected.result?.url ? fidelity.heatUrl : null}
            />
            <ResultBar
              item={selected}
              optionsKey={liveKey}
              mode={modeShown}
              onNotice={setNotice}
              formats={local ? [] : formats}
              fidelity={fidelity && fidelity.url === selected.result?.url ? fidelity : null}
              onFormat={(format) => convertToFormat(selected.file, query, format, { apiKey })}
            />
          </div>
        )}
      </main>

      <footer className="app-footer">
        {local && 'Local mode: images are converted in this browser, nothing is uploaded · '}
        {info === 'loading'
          ? 'Connecting to the service…'
          : info === 'locked'
            ? 'This service needs an API key.'
            : info === 'down'
              ? 'The service is not reachable.'
              : `${info.name} ${info.version}${info.engine_version ? ` · engine ${info.engine_version}` : ''}`}
        {' · '}
        <a href="./api/docs" target="_blank" rel="noreferrer">
          API documentation
        </a>
      </footer>

      <div className="toast" role="status" aria-live="polite">
        {notice}
      </div>
      <div className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop images to convert them
        </div>
      )}
      <ApiKeyDialog
        open={keyPrompt.open}
        reason={keyPrompt.reason}
        apiKey={apiKey}
        onSave={saveKey}
        onClose={() => setKeyPrompt({ open: false, reason: null })}
      />
    </div>
  );
}

/**
 * The image on screen with its layer edits (hidden or recoloured colours)
 * applied to its result: the view, the stats' downloads and copies all take
 * this one, so what is exported is what is seen.
 */
function useEditedItem(item: Item | null, edits: LayerEdits): Item | null {
  const result = item?.result ?? null;
  const edited = useMemo(() => {
    if (!result || !hasEdits(edits)) return null;
    const svg = applyEdits(result.svg, edits);
    const bytes = new TextEncoder().encode(svg).length;
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    return { ...result, svg, url, stats: { ...result.stats, bytes } };
  }, [result, edits]);
  useEffect(() => {
    if (!edited) return;
    return () => URL.revokeObjectURL(edited.url);
  }, [edited]);
  if (!item) return null;
  return edited ? { ...item, result: edited } : item;
}
