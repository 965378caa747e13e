/**
 * The engine's options as command-line flags: parsing of each value's syntax
 * here (commander reports a bad one), range checks in the engine's
 * `resolveOptions`, whose messages are rewritten to name the flag.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  DEFAULTS,
  EngineOptionError,
  PRESET_NAMES,
  resolveOptions,
  type VectorizeOptions,
} from '../engine/index.js';
import { UsageError } from './exit-codes.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function parseNumber(value: string): number {
  if (!NUMBER.test(value.trim())) throw new InvalidArgumentError('Expected a number.');
  return Number(value);
}

function parseThreshold(value: string): VectorizeOptions['threshold'] {
  if (value === 'auto' || value === 'adaptive') return value;
  if (!NUMBER.test(value.trim())) throw new InvalidArgumentError('Expected auto, adaptive or a level 0-255.');
  return Number(value);
}

function parseColors(value: string): VectorizeOptions['colors'] {
  if (value === 'auto') return value;
  if (!NUMBER.test(value.trim()))
    throw new InvalidArgumentError('Expected auto or a number of colours 2-256.');
  return Number(value);
}

function parsePalette(value: string): string[] {
  const colours = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (colours.length === 0) throw new InvalidArgumentError('Expected colours like "#ffffff,#000000".');
  return colours;
}

/** Engine option key -> the flag that sets it, for messages. */
const FLAGS: Readonly<Record<keyof VectorizeOptions, string>> = {
  mode: '--mode',
  preset: '--preset',
  threshold: '--threshold',
  invert: '--invert',
  transparentAsBackground: '--[no-]transparent-background',
  speckle: '--speckle',
  cornerThreshold: '--corner-threshold',
  curveTolerance: '--curve-tolerance',
  precision: '--precision',
  colors: '--colors',
  palette: '--palette',
  detail: '--detail',
  layering: '--layering',
  shapes: '--shapes',
  units: '--units',
  dpi: '--dpi',
  pixelArt: '--pixel-art',
  quality: '--quality',
};

/** Adds every engine option to `cmd` as a flag. */
export function addEngineFlags(cmd: Command): Command {
  return cmd
    .optionsGroup('Tracing (engine options; defaults come from the preset):')
    .addOption(
      new Option('--preset <name>', 'named preset; explicit flags override it').choices(PRESET_NAMES),
    )
    .addOption(
      new Option('-m, --mode <mode>', `colour mode (default ${DEFAULTS.mode})`).choices([
        'binary',
        'grayscale',
        'color',
        'centerline',
      ]),
    )
    .option(
      '-t, --threshold <level>',
      `binary: auto (Otsu, following uneven light), adaptive (local) or 0-255 (default ${DEFAULTS.threshold})`,
      parseThreshold,
    )
    .option('--invert', 'binary: trace the light parts instead of the dark')
    .option('--transparent-background', 'transparent pixels are background (the default)')
    .option('--no-transparent-background', 'treat transparent pixels by their colour')
    .option(
      '--speckle <px>',
      `drop or merge regions smaller than this area in pixels (default ${DEFAULTS.speckle})`,
      parseNumber,
    )
    .option(
      '--corner-threshold <deg>',
      `0-180: how sharp a vertex must be to stay a corner; 0 gives polygons (default ${DEFAULTS.cornerThreshold})`,
      parseNumber,
    )
    .option(
      '--curve-tolerance <px>',
      `how far a curve may stray from the outline (default ${DEFAULTS.curveTolerance})`,
      parseNumber,
    )
    .option(
      '--precision <digits>',
      `decimal places of coordinates, 0-4 (default ${DEFAULTS.precision})`,
      parseNumber,
    )
    .option(
      '--colors <n>',
      `colour/grayscale: number of colours 2-256 or auto (default ${DEFAULTS.colors})`,
      parseColors,
    )
    .option('--palette <list>', 'colour: fixed palette, e.g. "#ffffff,#1a2b3c"', parsePalette)
    .option(
      '--detail <0-1>',
      `how closely curves follow the pixels (default ${DEFAULTS.detail})`,
      parseNumber,
    )
    .option(
      '--quality <0-1>',
      'smallest (0) to most faithful (1): sets --colors, --detail, --speckle, --curve-tolerance unless given',
      parseNumber,
    )
    .addOption(
      new Option(
        '--layering <kind>',
        `colour: stacked (no seams) or cutout (default ${DEFAULTS.layering})`,
      ).choices(['stacked', 'cutout']),
    )
    .addOption(
      new Option(
        '--shapes <mode>',
        `colour, stacked: auto writes circles and ellipses as elements and rectangles exactly, off keeps paths (default ${DEFAULTS.shapes})`,
      ).choices(['auto', 'off']),
    )
    .addOption(
      new Option(
        '--units <unit>',
        'unit of the width and height: px, mm or in (the viewBox stays in pixels; default px)',
      ).choices(['px', 'mm', 'in']),
    )
    .option(
      '--dpi <n>',
      "pixels per inch for --units mm/in and PDF/EPS/DXF sizes (default: the image's own resolution, else 96)",
      parseNumber,
    )
    .addOption(
      new Option(
        '--pixel-art <how>',
        `colour: auto (exact nearest-neighbour upscales as blocks), blocks, smooth or off (default ${DEFAULTS.pixelArt})`,
      ).choices(['auto', 'blocks', 'smooth', 'off']),
    );
}

/**
 * The engine options given on the command line (flags left out are left to
 * the preset and the defaults), validated by the engine. An invalid value
 * throws UsageError naming the flag.
 */
export function engineOptions(cmd: Command): VectorizeOptions {
  const o = cmd.opts<Record<string, unknown>>();
  const given = (key: string): boolean => cmd.getOptionValueSource(key) === 'cli';
  const options: VectorizeOptions = {};
  const set = <K extends keyof VectorizeOptions>(key: K, flagKey: string = key): void => {
    if (given(flagKey)) options[key] = o[flagKey] as VectorizeOptions[K];
  };
  set('preset');
  set('mode');
  set('threshold');
  set('invert');
  set('transparentAsBackground', 'transparentBackground');
  set('speckle');
  set('cornerThreshold');
  set('curveTolerance');
  set('precision');
  set('colors');
  set('palette');
  set('detail');
  set('layering');
  set('shapes');
  set('units');
  set('dpi');
  set('pixelArt');
  set('quality');
  try {
    resolveOptions(options);
  } catch (err) {
    if (!(err instanceof EngineOptionError)) throw err;
    const key = err.option.replace(/\[\d+\]$/, '') as keyof VectorizeOptions;
    const detail = err.message.replace(/^Invalid option "[^"]*": /, '');
    throw new UsageError(`${FLAGS[key] ?? err.option}: ${detail}`);
  }
  return options;
}
