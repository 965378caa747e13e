import type { KeyboardEvent, PointerEvent } from 'react';

interface SplitDividerProps {
  /** Position of the divider across the pane, 0-100 (%). */
  readonly position: number;
  readonly onChange: (position: number) => void;
}

function clamp(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/**
 * The draggable line between the original (left) and the SVG (right). It is
 * a slider for assistive technology and the keyboard: arrows move it by 2%
 * (10% with Shift), Home and End to the edges.
 */
export function SplitDivider({ position, onChange }: SplitDividerProps) {
  const fromPointer = (e: PointerEvent<HTMLDivElement>): void => {
    const pane = e.currentTarget.parentElement?.getBoundingClientRect();
    if (pane && pane.width > 0) onChange(clamp(((e.clientX - pane.left) / pane.width) * 100));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 10 : 2;
    const next: Record<string, number> = {
      ArrowLeft: position - step,
      ArrowDown: position - step,
      ArrowRight: position + step,
      ArrowUp: position + step,
      PageDown: position - 10,
      PageUp: position + 10,
      Home: 0,
      End: 100,
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    e.stopPropagation();
    onChange(clamp(next[e.key]));
  };
  return (
    <div
      className="split-divider"
      data-no-pan
      role="slider"
      tabIndex={0}
      aria-label="Split position: original on the left, SVG on the right"
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(position)}
      aria-valuetext={`${Math.round(position)}% original`}
      style={{ left: `${position}%` }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        fromPointer(e);
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) fromPointer(e);
      }}
      onKeyDown={onKeyDown}
    >
      <span className="split-handle" aria-hidden="true" />
    </div>
  );
}
