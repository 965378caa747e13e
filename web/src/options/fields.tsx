/** Labelled form controls with a one-line explanation each, shared by the options panel. */
import { useState, type ReactNode } from 'react';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly children: ReactNode;
  readonly value?: string;
}

export function Field({ id, label, help, value, children }: FieldProps) {
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        {value !== undefined && (
          <output htmlFor={id} className="field-value">
            {value}
          </output>
        )}
      </div>
      {children}
      <p id={`${id}-help`} className="help">
        {help}
      </p>
    </div>
  );
}

interface RangeProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
  readonly format?: (value: number) => string;
  readonly onChange: (value: number) => void;
}

export function Range({ id, label, help, min, max, step, value, format = String, onChange }: RangeProps) {
  return (
    <Field id={id} label={label} help={help} value={format(value)}>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-describedby={`${id}-help`}
        aria-valuetext={format(value)}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
    </Field>
  );
}

interface SteppedRangeProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  /** Increasing values the slider steps over, one per position. */
  readonly stops: readonly number[];
  /** The slider position that shows a value (for one between stops, the nearest). */
  readonly stopIndex: (value: number) => number;
  /** A value typed in the box, or null while the text is not one. */
  readonly parse: (text: string) => number | null;
  readonly value: number;
  readonly onChange: (value: number) => void;
}

/**
 * A slider over uneven stops (fine steps where they matter, coarse ones
 * elsewhere) with a number box beside it for any value, also between stops.
 * The box keeps what is typed until it leaves; only valid values are sent.
 */
export function SteppedRange({
  id,
  label,
  help,
  stops,
  stopIndex,
  parse,
  value,
  onChange,
}: SteppedRangeProps) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <Field id={id} label={label} help={help}>
      <div className="range-number">
        <input
          id={id}
          type="range"
          min={0}
          max={stops.length - 1}
          step={1}
          value={stopIndex(value)}
          aria-describedby={`${id}-help`}
          aria-valuetext={String(value)}
          onChange={(e) => onChange(stops[Number(e.currentTarget.value)] ?? value)}
        />
        <input
          id={`${id}-number`}
          type="number"
          inputMode="numeric"
          min={stops[0]}
          max={stops.at(-1)}
          step={1}
          value={draft ?? String(value)}
          aria-label={`${label}, exact number`}
          aria-describedby={`${id}-help`}
          aria-invalid={draft !== null && parse(draft) === null}
          onChange={(e) => {
            const text = e.currentTarget.value;
            setDraft(text);
            const n = parse(text);
            if (n !== null && n !== value) onChange(n);
          }}
          onBlur={() => setDraft(null)}
        />
      </div>
    </Field>
  );
}

interface CheckProps {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function Check({ id, label, help, checked, onChange }: CheckProps) {
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      </div>
    </div>
  );
}

interface ChoiceProps<T extends string> {
  readonly name: string;
  readonly legend: string;
  readonly help: string;
  readonly options: readonly (readonly [T, string])[];
  readonly value: T | null;
  readonly onChange: (value: T) => void;
}

/** A segmented group of radio buttons (arrow keys move between them, as for any radio group). */
export function Choice<T extends string>({ name, legend, help, options, value, onChange }: ChoiceProps<T>) {
  return (
    <fieldset className="field" aria-describedby={`${name}-help`}>
      <legend>{legend}</legend>
      <div className="segmented">
        {options.map(([option, label]) => (
          <label key={option} className={value === option ? 'is-checked' : undefined}>
            <input
              type="radio"
              name={name}
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
            />
            {label}
          </label>
        ))}
      </div>
      <p id={`${name}-help`} className="help">
        {help}
      </p>
    </fieldset>
  );
}
