/**
 * The UI's pure logic, run in Node: the event-stream parser that follows
 * background jobs, the options-to-query mapping of the API contract, the
 * scale of the colour-count slider, the zoom maths shared by both panes,
 * file naming for downloads, and how a background task's result reads its
 * statistics (fetch stubbed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRESETS } from '../../src/engine/options.js';
import { SseParser, type SseEvent } from '../../web/src/api/sse-parser.js';
import { taskResult, type TaskStatus } from '../../web/src/api/tasks.js';
import {
  COLOR_STOPS,
  colorStopIndex,
  MAX_COLORS,
  MIN_COLORS,
  parseColors,
} from '../../web/src/options/color-stops.js';
import {
  effectiveValues,
  INITIAL_OPTIONS,
  optionsKey,
  modeOf,
  setAutoMode,
  setOption,
  setPreset,
  toQuery,
} from '../../web/src/options/model.js';
import { formatBytes, svgFileName, uniqueSvgNames } from '../../web/src/result/format.js';
import { clampZoom, fitView, MAX_ZOOM, MIN_ZOOM, zoomAt } from '../../web/src/viewer/zoom-math.js';

const STREAM =
  ': keep-alive\n' +
  'event: progress\ndata: {"status":"processing","progress":40,"stage":"trace"}\n\n' +
  'event: progress\r\ndata: {"progress":80}\r\n\r\n' +
  'data: line one\ndata: line two\n\n' +
  'event: completed\ndata:{"status":"completed"}\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'progress', data: '{"status":"processing","progress":40,"stage":"trace"}' },
  { event: 'progress', data: '{"progress":80}' },
  { event: 'message', data: 'line one\nline two' },
  { event: 'completed', data: '{"status":"completed"}' },
];

describe('SseParser', () => {
  it('parses a whole stream: named events, CRLF lines, comments, multi-line data, no space after the colon', () => {
    expect(new SseParser().feed(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    for (const size of [1, 2, 3, 7, 13]) {
      const parser = new SseParser();
      const events: SseEvent[] = [];
      for (let i = 0; i < STREAM.length; i += size) events.push(...parser.feed(STREAM.slice(i, i + size)));
      expect(events, `chunks of ${size}`).toEqual(EXPECTED);
    }
  });

  it('waits for the blank line before answering an event, and drops events without data', () => {
    const parser = new SseParser();
    expect(parser.feed('event: progress\ndata: {"progress":10}\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ event: 'progress', data: '{"progress":10}' }]);
    expect(parser.feed('event: ping\n\n')).toEqual([]);
    expect(parser.feed('data: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps a CR at the end of a chunk until it knows whether an LF follows', () => {
    const parser = new SseParser();
    expect(parser.feed('data: a\r')).toEqual([]);
    expect(parser.feed('\n\r\n')).toEqual([{ event: 'message', data: 'a' }]);
  });
});

describe('background task result', () => {
  const done: TaskStatus = {
    task_id: 't1',
    status: 'completed',
    progress: 100,
    stats: { paths: 3, nodes: 40, bytes: 6, preset: 'logo' },
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:01.500Z',
  };
  const answer = (headers: Record<string, string>) => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return new Response('<svg/>', { headers: { 'Content-Type': 'image/svg+xml', ...headers } });
    });
    return urls;
  };
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows the result’s X-Cache and stats headers, and the task’s own time', async () => {
    const urls = answer({
      'X-Cache': 'HIT',
      'X-Paths': '3',
      'X-Nodes': '40',
      'X-Svg-Bytes': '6',
      'X-Preset': 'logo',
      'X-Processing-Time': '0.0010',
    });
    expect(await taskResult(done, { apiKey: '' })).toEqual({
      svg: '<svg/>',
      stats: { bytes: 6, paths: 3, nodes: 40, seconds: 1.5, cache: 'HIT', preset: 'logo', via: 'background' },
    });
    expect(urls).toEqual(['/api/tasks/t1/result']);
  });

  it('falls back to the task’s stats from a service that sends no headers (cache unknown)', async () => {
    answer({});
    expect((await taskResult(done, { apiKey: '' })).stats).toEqual({
      bytes: 6,
      paths: 3,
      nodes: 40,
      seconds: 1.5,
      cache: null,
      preset: 'logo',
      via: 'background',
    });
  });
});

const NONE = setPreset('default');

describe('options model', () => {
  it('starts new users on auto, which the service resolves per image', () => {
    expect(toQuery(INITIAL_OPTIONS).toString()).toBe('preset=auto');
    expect(modeOf(INITIAL_OPTIONS, null)).toBeNull();
    expect(modeOf(INITIAL_OPTIONS, 'logo')).toBe('color');
    expect(modeOf(INITIAL_OPTIONS, 'lineart')).toBe('binary');
    expect(modeOf(setOption(INITIAL_OPTIONS, 'mode', 'grayscale', 'logo'), 'logo')).toBe('grayscale');
  });

  it('drops a hand-set value equal to the preset’s, so going back sends the same query (cache hits)', () => {
    const tuned = setOption(NONE, 'detail', 0.8);
    expect(toQuery(tuned).toString()).toBe('detail=0.8');
    expect(toQuery(setOption(tuned, 'detail', 0.5)).toString()).toBe('');
    expect(toQuery(setOption(NONE, 'curveTolerance', 0.25)).toString()).toBe('');
    // Under auto, the picked preset's values count as the defaults, but a picked mode is kept.
    const auto = setOption(INITIAL_OPTIONS, 'speckle', PRESETS.logo.speckle ?? 0, 'logo');
    expect(toQuery(auto).toString()).toBe('preset=auto');
    expect(toQuery(setOption(INITIAL_OPTIONS, 'mode', 'color', 'logo')).toString()).toBe(
      'preset=auto&color_mode=color',
    );
    expect(toQuery(setAutoMode(setOption(NONE, 'mode', 'color'))).toString()).toBe('preset=auto');
  });

  it('sends nothing for the defaults, so the service applies its own', () => {
    expect(toQuery(NONE).toString()).toBe('');
    expect(effectiveValues(NONE)).toMatchObject({
      mode: 'binary',
      threshold: 'auto',
      detail: 0.5,
      speckle: 2,
    });
  });

  it('maps hand-set options to the contract’s snake_case names, in a stable order', () => {
    let options = setOption(NONE, 'mode', 'color');
    options = setOption(options, 'cornerThreshold', 45);
    options = setOption(options, 'colors', 12);
    options = setOption(options, 'transparentBackground', false);
    expect(toQuery(options).toString()).toBe(
      'colors=12&corner_threshold=45&color_mode=color&transparent_background=false',
    );
  });

  it('shows a preset’s values, lets hand-set options win, and clears them when another preset is picked', () => {
    const photo = setPreset('photo');
    expect(toQuery(photo).toString()).toBe('preset=photo');
    const { mode, colors, speckle, detail } = PRESETS.photo;
    expect(effectiveValues(photo)).toMatchObject({ mode, colors, speckle, detail });
    const tuned = setOption(photo, 'colors', 8);
    expect(effectiveValues(tuned).colors).toBe(8);
    expect(toQuery(tuned).toString()).toBe('preset=photo&colors=8');
    expect(setPreset('logo').overrides).toEqual({});
  });

  it('shows the preset the service picked when the preset is auto', () => {
    const auto = setPreset('auto');
    expect(effectiveValues(auto, 'posterize')).toMatchObject({
      mode: PRESETS.posterize.mode,
      colors: PRESETS.posterize.colors,
    });
    expect(effectiveValues(auto, null).mode).toBe('binary');
    expect(effectiveValues(auto, 'no-such-preset').mode).toBe('binary');
  });

  it('sends any colour count the service takes, up to 256', () => {
    const options = setOption(setOption(NONE, 'mode', 'color'), 'colors', 256);
    expect(toQuery(options).toString()).toBe('colors=256&color_mode=color');
    expect(effectiveValues(options).colors).toBe(256);
  });

  it('gives different keys to different options and the same key to the same options', () => {
    const a = setOption(setOption(NONE, 'detail', 0.7), 'speckle', 9);
    const b = setOption(setOption(NONE, 'speckle', 9), 'detail', 0.7);
    expect(optionsKey(a)).toBe(optionsKey(b));
    expect(optionsKey(a)).not.toBe(optionsKey(setOption(a, 'detail', 0.75)));
  });
});

describe('colour-count slider scale', () => {
  it('spans the contract’s 2-256 in increasing stops, one per count up to 16', () => {
    expect([MIN_COLORS, MAX_COLORS]).toEqual([2, 256]);
    expect(COLOR_STOPS[0]).toBe(2);
    expect(COLOR_STOPS.at(-1)).toBe(256);
    expect(COLOR_STOPS.slice(0, 15)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    for (let i = 1; i < COLOR_STOPS.length; i++) {
      expect(COLOR_STOPS[i]).toBeGreaterThan(COLOR_STOPS[i - 1]);
      // Above 16 a step is at most an eighth of the count: no stretch of the scale is coarse.
      expect(COLOR_STOPS[i] - COLOR_STOPS[i - 1]).toBeLessThanOrEqual(Math.max(1, COLOR_STOPS[i - 1] / 8));
    }
    expect(COLOR_STOPS.length).toBeLessThanOrEqual(50);
    // Every preset's count is a stop, so a preset never shows between two.
    for (const preset of Object.values(PRESETS)) {
      if (typeof preset.colors === 'number') expect(COLOR_STOPS).toContain(preset.colors);
    }
  });

  it('places a count on its stop, or on the nearest (the lower on a tie)', () => {
    COLOR_STOPS.forEach((n, i) => expect(colorStopIndex(n)).toBe(i));
    expect(COLOR_STOPS[colorStopIndex(100)]).toBe(96);
    expect(COLOR_STOPS[colorStopIndex(101)]).toBe(104);
    expect(COLOR_STOPS[colorStopIndex(250)]).toBe(256);
    expect(colorStopIndex(1)).toBe(0);
  });

  it('takes a typed whole number from 2 to 256 and nothing else', () => {
    expect(['2', '100', ' 64 ', '256', '007'].map(parseColors)).toEqual([2, 100, 64, 256, 7]);
    for (const text of ['', '1', '0', '257', '12.5', '-4', '1e2', 'auto'])
      expect(parseColors(text)).toBeNull();
  });
});

describe('zoom maths', () => {
  it('fits an image into the pane, centred, never enlarged past 100%', () => {
    expect(fitView({ width: 1000, height: 500 }, { width: 500, height: 500 })).toEqual({
      zoom: 0.47,
      x: 15,
      y: 132.5,
    });
    // A small image is enlarged to fill the pane (here up to the zoom limit)...
    expect(fitView({ width: 10, height: 10 }, { width: 400, height: 300 })).toEqual({
      zoom: expect.closeTo(28.2, 6) as number,
      x: expect.closeTo(59, 6) as number,
      y: expect.closeTo(9, 6) as number,
    });
    // ...and a 32 px icon to the pane's height.
    expect(fitView({ width: 32, height: 32 }, { width: 400, height: 300 }).zoom).toBeCloseTo(282 / 32, 6);
  });

  it('keeps the image point under the pointer fixed while zooming', () => {
    const view = { zoom: 2, x: -30, y: 10 };
    const [ax, ay] = [120, 80];
    const imageX = (ax - view.x) / view.zoom;
    const imageY = (ay - view.y) / view.zoom;
    const zoomed = zoomAt(view, 3, ax, ay);
    expect(zoomed.zoom).toBe(6);
    expect(imageX * zoomed.zoom + zoomed.x).toBeCloseTo(ax, 9);
    expect(imageY * zoomed.zoom + zoomed.y).toBeCloseTo(ay, 9);
  });

  it('clamps zoom to its limits, which reach past 800%', () => {
    expect(MAX_ZOOM).toBeGreaterThanOrEqual(8);
    expect(clampZoom(1000)).toBe(MAX_ZOOM);
    expect(clampZoom(0)).toBe(MIN_ZOOM);
    expect(zoomAt({ zoom: MAX_ZOOM, x: 0, y: 0 }, 2, 50, 50)).toEqual({ zoom: MAX_ZOOM, x: 0, y: 0 });
  });
});

describe('download names', () => {
  it('replaces the extension with .svg', () => {
    expect(svgFileName('photo.final.PNG')).toBe('photo.final.svg');
    expect(svgFileName('scan')).toBe('scan.svg');
    expect(svgFileName('.png')).toBe('image.svg');
  });

  it('makes zip entry names unique, ignoring case', () => {
    expect(uniqueSvgNames(['logo.png', 'LOGO.jpg', 'logo.gif', 'icon.png'])).toEqual([
      'logo.svg',
      'LOGO-2.svg',
      'logo-3.svg',
      'icon.svg',
    ]);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(300 * 1024)).toBe('300 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
