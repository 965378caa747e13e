/**
 * The targets of issues 2 and 3, checked against the summaries of one run:
 * each row gives image2svg's figure, the figure it must reach, and whether it
 * does.
 */
import type { MemoryResult } from './memory.js';
import type { Summary } from './summary.js';

export interface TargetRow {
  readonly set: string;
  readonly figure: string;
  readonly ours: number;
  readonly goal: number;
  readonly goalText: string;
  readonly met: boolean;
}

type Key = 'meanSsim' | 'meanDeltaE' | 'medianBytes' | 'medianMs';
const HIGHER_IS_BETTER: Record<Key, boolean> = {
  meanSsim: true,
  meanDeltaE: false,
  medianBytes: false,
  medianMs: false,
};
const LABEL: Record<Key, string> = {
  meanSsim: 'mean SSIM',
  meanDeltaE: 'mean ΔE00',
  medianBytes: 'median bytes',
  medianMs: 'median ms',
};

function find(summaries: readonly Summary[], set: string, tool: string): Summary | undefined {
  return summaries.find((s) => s.set === set && s.tool === tool && s.images > s.failed);
}

function row(
  summaries: readonly Summary[],
  set: string,
  key: Key,
  refs: readonly string[],
  factor = 1,
): TargetRow | null {
  const ours = find(summaries, set, 'image2svg');
  const others = refs.map((t) => find(summaries, set, t)).filter((s): s is Summary => s !== undefined);
  if (others.length === 0) return null;
  const values = others.map((s) => s[key]);
  const better = HIGHER_IS_BETTER[key];
  const goal = (better ? Math.max(...values) : Math.min(...values)) * factor;
  const which = refs.length > 1 ? `the better of ${refs.join(' and ')}` : refs[0];
  const goalText = `${better ? '≥' : '≤'} ${factor !== 1 ? `${factor * 100}% of ` : ''}${which}`;
  const value = ours ? ours[key] : NaN;
  const met = Number.isFinite(value) && (better ? value >= goal : value <= goal);
  return { set, figure: LABEL[key], ours: value, goal, goalText, met };
}

/** A goal that is a fixed figure rather than another tool's. */
function fixedRow(summaries: readonly Summary[], set: string, key: Key, goal: number): TargetRow | null {
  const ours = find(summaries, set, 'image2svg');
  if (!ours) return null;
  const better = HIGHER_IS_BETTER[key];
  const value = ours[key];
  const met = Number.isFinite(value) && (better ? value >= goal : value <= goal);
  return { set, figure: LABEL[key], ours: value, goal, goalText: `${better ? '≥' : '≤'} ${goal}`, met };
}

const KEYS: readonly Key[] = ['meanSsim', 'meanDeltaE', 'medianBytes', 'medianMs'];

export function checkTargets(summaries: readonly Summary[], memory: readonly MemoryResult[]): TargetRow[] {
  const rows: (TargetRow | null)[] = [];
  for (const set of ['logos', 'fa-solid', 'tabler-line']) {
    for (const key of KEYS) rows.push(row(summaries, set, key, ['potrace']));
  }
  // Issue 11: scanned pages, against potrace on the scan's Otsu bitmap.
  rows.push(row(summaries, 'scans', 'meanSsim', ['potrace']));
  rows.push(row(summaries, 'scans', 'meanDeltaE', ['potrace']));
  // Issue 11: pixel art, absolute goals.
  rows.push(fixedRow(summaries, 'pixelart', 'meanSsim', 0.998));
  rows.push(fixedRow(summaries, 'pixelart', 'meanDeltaE', 0.15));
  for (const set of ['emoji', 'flags']) {
    rows.push(row(summaries, set, 'meanSsim', ['vtracer', 'imagetracer']));
    rows.push(row(summaries, set, 'meanDeltaE', ['vtracer', 'imagetracer']));
    rows.push(row(summaries, set, 'medianBytes', ['vtracer'], 0.7));
    rows.push(row(summaries, set, 'medianMs', ['vtracer']));
  }
  for (const key of KEYS) rows.push(row(summaries, 'photos', key, ['vtracer']));
  // Issue 12: translucent art looks the same on black as on white (no dropped shadows).
  const tr = find(summaries, 'translucent', 'image2svg');
  if (tr && tr.meanSsimBlack !== undefined) {
    const gap = Math.abs(tr.meanSsim - tr.meanSsimBlack);
    rows.push({
      set: 'translucent',
      figure: '|SSIM white - SSIM black|',
      ours: gap,
      goal: 0.005,
      goalText: '≤ 0.005',
      met: gap <= 0.005,
    });
  }
  const limits: [string, number][] = [
    ['binary', 1536],
    ['colour', 2048],
  ];
  for (const [word, limit] of limits) {
    const m = memory.find((r) => r.label.includes(word));
    if (!m) continue;
    const ours = m.ok && m.maxRssMB !== undefined ? m.maxRssMB : NaN;
    rows.push({
      set: `8192² ${word}`,
      figure: 'peak RSS MB',
      ours,
      goal: limit,
      goalText: `< ${limit}`,
      met: Number.isFinite(ours) && ours < limit,
    });
  }
  return rows.filter((r): r is TargetRow => r !== null);
}

export function targetsTable(rows: readonly TargetRow[]): string {
  const fmt = (v: number) =>
    !Number.isFinite(v)
      ? '–'
      : Math.abs(v) >= 100
        ? Math.round(v).toLocaleString('en-US')
        : v.toFixed(v < 2 ? 4 : 2);
  const lines = ['| set | figure | image2svg | target | goal value | met |', '|---|---|---:|---|---:|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.set} | ${r.figure} | ${fmt(r.ours)} | ${r.goalText} | ${fmt(r.goal)} | ${r.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}
