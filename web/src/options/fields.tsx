/** Labelled form controls with a one-line explanation each, shared by the options panel. */
import type { ReactNode } from 'react';

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
