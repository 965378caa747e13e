import { PRESET_NAMES } from '../../../src/engine/options.js';
import { COLOR_STOPS, colorStopIndex, MAX_COLORS, MIN_COLORS, parseColors } from './color-stops.js';
import { Check, Choice, Field, Range, SteppedRange } from './fields.js';
import {
  effectiveValues,
  MODE_LABELS,
  modeOf,
  setAutoMode,
  setOption,
  setPreset,
  type Mode,
  type OptionKey,
  type OptionValues,
  type PresetName,
  type UiOptions,
} from './model.js';

/** Short enough to show whole in the sidebar's select at any width. */
const PRESET_LABELS: Readonly<Record<PresetName, string>> = {
  default: 'None: the options below',
  auto: 'Auto: picked from the image',
  logo: 'Logo: flat colours, crisp edges',
  lineart: 'Line art: drawings and scans',
  clipart: 'Clip art: flat illustrations',
  photo: 'Photo: smooth, many colours',
  posterize: 'Posterize: a few bold colours',
  pixelart: 'Pixel art: exact sprite blocks',
};

const MODE_HELP: Readonly<Record<Mode, string>> = {
  binary: 'One colour of ink on a transparent background: logos, text, line art, scans.',
  grayscale: 'Shapes in levels of grey.',
  color: 'Shapes in the image’s own colours.',
  centerline: 'Line art traced to the middle of each stroke: stroked lines for plotters, cutters and CAD.',
};

function autoModeHelp(picked: string | null): string {
  if (!picked)
    return 'Auto picks the mode from each image: colour where it is colour, binary where it is black and white.';
  const mode = modeOf({ preset: 'auto', overrides: {} }, picked);
  return `Auto picked ${mode ? MODE_LABELS[mode] : 'a mode'} (the ${picked} preset) for this image; choose a mode to override it.`;
}

interface OptionsPanelProps {
  readonly options: UiOptions;
  readonly onChange: (options: UiOptions) => void;
  /** The preset the service picked for the image on screen when the preset is `auto`. */
  readonly pickedPreset: string | null;
}

/** The few options that matter, each labelled and explained; the rarely needed ones fold away under "More options". */
export function OptionsPanel({ options, onChange, pickedPreset }: OptionsPanelProps) {
  const v = effectiveValues(options, pickedPreset);
  const set = <K extends OptionKey>(key: K, value: OptionValues[K]): void =>
    onChange(setOption(options, key, value, pickedPreset));
  const autoMode = options.preset === 'auto' && options.overrides.mode === undefined;
  const threshold = typeof v.threshold === 'number' ? 'fixed' : v.threshold;

  return (
    <section className="options" aria-labelledby="options-title">
      <h2 id="options-title">Options</h2>
      <p className="help">Changes apply on their own after a short pause.</p>

      <Field
        id="preset"
        label="Preset"
        help="A starting point: picking one sets the options below to its values."
      >
        <select
          id="preset"
          value={options.preset}
          aria-describedby="preset-help"
          onChange={(e) => onChange(setPreset(e.currentTarget.value as PresetName))}
        >
          {PRESET_NAMES.map((name) => (
            <option key={name} value={name}>
              {PRESET_LABELS[name]}
            </option>
          ))}
        </select>
      </Field>

      <Choice<Mode | 'auto'>
        name="mode"
        legend="Mode"
        help={autoMode ? autoModeHelp(pickedPreset) : MODE_HELP[v.mode]}
        options={[
          ['auto', 'Auto'],
          ['binary', MODE_LABELS.binary],
          ['grayscale', MODE_LABELS.grayscale],
          ['color', MODE_LABELS.color],
          ['centerline', MODE_LABELS.centerline],
        ]}
        value={autoMode ? 'auto' : v.mode}
        onChange={(mode) => (mode === 'auto' ? onChange(setAutoMode(options)) : set('mode', mode))}
      />

      {v.mode === 'binary' || v.mode === 'centerline' ? (
        <>
          <Field
            id="threshold"
            label="Threshold"
            help="What counts as ink. Auto finds the level from the image; Adaptive follows uneven lighting, as in phone photos of paper."
          >
            <select
              id="threshold"
              value={threshold}
              aria-describedby="threshold-help"
              onChange={(e) => {
                const choice = e.currentTarget.value;
                set('threshold', choice === 'fixed' ? 128 : (choice as 'auto' | 'adaptive'));
              }}
            >
              <option value="auto">Auto</option>
              <option value="adaptive">Adaptive (uneven lighting)</option>
              <option value="fixed">Fixed level</option>
            </select>
          </Field>
          {typeof v.threshold === 'number' && (
            <Range
              id="threshold-level"
              label="Threshold level"
              help="Pixels darker than this are ink (0 black – 255 white)."
              min={0}
              max={255}
              step={1}
              value={v.threshold}
              onChange={(n) => set('threshold', n)}
            />
          )}
          <Check
            id="invert"
            label="Invert"
            help="Trace the light parts instead of the dark, e.g. white text on black."
            checked={v.invert}
            onChange={(b) => set('invert', b)}
          />
        </>
      ) : (
        <>
          <Check
            id="colors-auto"
            label={
              v.mode === 'grayscale'
                ? 'Choose the number of greys automatically'
                : 'Choose the number of colours automatically'
            }
            help="As few as keep the image faithful."
            checked={v.colors === 'auto'}
            onChange={(b) => set('colors', b ? 'auto' : 8)}
          />
          {v.colors !== 'auto' && (
            <SteppedRange
              id="colors"
              label={v.mode === 'grayscale' ? 'Grey levels' : 'Colours'}
              help={`Fewer colours give fewer shapes and a smaller file. The slider takes larger steps above 16; the box takes any number from ${MIN_COLORS} to ${MAX_COLORS}.`}
              stops={COLOR_STOPS}
              stopIndex={colorStopIndex}
              parse={parseColors}
              value={v.colors}
              onChange={(n) => set('colors', n)}
            />
          )}
        </>
      )}

      <Range
        id="detail"
        label="Detail"
        help="Low: smoother curves, fewer nodes, smaller file. High: follows every pixel."
        min={0}
        max={1}
        step={0.05}
        value={v.detail}
        format={(n) => `${Math.round(n * 100)}%`}
        onChange={(n) => set('detail', n)}
      />
      <Range
        id="speckle"
        label="Remove specks"
        help="Shapes smaller than this many pixels are dropped or merged into a neighbour: noise, dust, JPEG artefacts."
        min={0}
        max={100}
        step={1}
        value={v.speckle}
        format={(n) => `${n} px`}
        onChange={(n) => set('speckle', n)}
      />

      <details className="more-options">
        <summary>More options</summary>
        <Range
          id="corner-threshold"
          label="Corner angle"
          help="Turns sharper than this stay corners; gentler ones become curves. 0 gives straight-edged polygons."
          min={0}
          max={180}
          step={5}
          value={v.cornerThreshold}
          format={(n) => `${n}°`}
          onChange={(n) => set('cornerThreshold', n)}
        />
        <Range
          id="curve-tolerance"
          label="Curve tolerance"
          help="How far a curve may stray from the traced outline. Larger: fewer nodes."
          min={0.05}
          max={3}
          step={0.05}
          value={v.curveTolerance}
          format={(n) => `${n.toFixed(2)} px`}
          onChange={(n) => set('curveTolerance', n)}
        />
        <Range
          id="precision"
          label="Decimals"
          help="Decimal places of coordinates in the file. 1 is plenty for screens."
          min={0}
          max={4}
          step={1}
          value={v.precision}
          onChange={(n) => set('precision', n)}
        />
        {v.mode !== 'binary' && (
          <Choice
            name="layering"
            legend="Layering"
            help="Stacked: shapes overlap slightly, no hairline seams. Cut-out: shapes meet edge to edge, easier to edit."
            options={[
              ['stacked', 'Stacked'],
              ['cutout', 'Cut-out'],
            ]}
            value={v.layering}
            onChange={(layering) => set('layering', layering)}
          />
        )}
        {v.mode !== 'binary' && v.layering === 'stacked' && (
          <Choice
            name="shapes"
            legend="Shapes"
            help="Auto: circles and ellipses become real shapes, rectangles exact. Off: every outline stays a path."
            options={[
              ['auto', 'Auto'],
              ['off', 'Off'],
            ]}
            value={v.shapes}
            onChange={(shapes) => set('shapes', shapes)}
          />
        )}
        <Check
          id="transparent-background"
          label="Keep transparency"
          help="Transparent pixels stay transparent instead of being traced."
          checked={v.transparentBackground}
          onChange={(b) => set('transparentBackground', b)}
        />
        <Check
          id="enhance"
          label="Enhance first"
          help="A light clean-up before tracing: contrast normalised, slight noise removed."
          checked={v.enhance}
          onChange={(b) => set('enhance', b)}
        />
        <Check
          id="resize"
          label="Shrink very large images"
          help="Downscale images over the service’s size limit instead of refusing them."
          checked={v.resize}
          onChange={(b) => set('resize', b)}
        />
      </details>
    </section>
  );
}
