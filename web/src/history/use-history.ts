/**
 * History of settings: each set of options that settled is an entry, undo
 * and redo move between them (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y outside text
 * fields). The options in force are also kept in the page's URL (a link
 * opens the same settings) and in localStorage (the next visit starts
 * there); a recipe is the same options as a JSON file.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromQuery, INITIAL_OPTIONS, toQuery, type UiOptions } from '../options/model.js';

const STORE_KEY = 'image2svg.options';
const MAX_ENTRIES = 50;

/** The options a page opens with: the URL's, else the ones kept in the browser, else auto. */
export function initialOptions(): UiOptions {
  const fromUrl = new URLSearchParams(window.location.search);
  if (fromUrl.has('preset') || [...fromUrl.keys()].length > 0) return fromQuery(fromUrl);
  const kept = localStorage.getItem(STORE_KEY);
  return kept === null ? INITIAL_OPTIONS : fromQuery(new URLSearchParams(kept));
}

/** The query string of a set of options, including the default preset (so a link says it). */
function fullQuery(options: UiOptions): string {
  const query = toQuery(options);
  if (!query.has('preset')) query.set('preset', options.preset);
  return query.toString();
}

export interface History {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  undo(): void;
  redo(): void;
}

export function useHistory(settled: UiOptions, setOptions: (options: UiOptions) => void): History {
  const [stack, setStack] = useState(() => ({ entries: [settled], index: 0 }));

  useEffect(() => {
    const query = fullQuery(settled);
    localStorage.setItem(STORE_KEY, query);
    const url = new URL(window.location.href);
    url.search = query;
    window.history.replaceState(null, '', url);
    setStack((s) => {
      if (fullQuery(s.entries[s.index]) === query) return s;
      const entries = [...s.entries.slice(0, s.index + 1), settled].slice(-MAX_ENTRIES);
      return { entries, index: entries.length - 1 };
    });
  }, [settled]);

  const current = useRef(stack);
  current.current = stack;
  const go = useCallback(
    (step: number) => {
      const s = current.current;
      const index = s.index + step;
      const target = s.entries[index];
      if (!target) return;
      setStack({ ...s, index });
      setOptions(target);
    },
    [setOptions],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest('input[type="text"], input[type="number"], input[type="password"], textarea'))
        return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) go(-1);
      else if ((key === 'z' && e.shiftKey) || key === 'y') go(1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  return {
    canUndo: stack.index > 0,
    canRedo: stack.index < stack.entries.length - 1,
    undo: () => go(-1),
    redo: () => go(1),
  };
}

/** A recipe file: the options in the service's names, readable and editable by hand. */
export interface Recipe {
  readonly image2svg_recipe: 1;
  readonly options: Readonly<Record<string, string>>;
}

export function toRecipe(options: UiOptions): Recipe {
  return { image2svg_recipe: 1, options: Object.fromEntries(new URLSearchParams(fullQuery(options))) };
}

/** Reads a recipe; throws with a message a person can act on when the file is not one. */
export function fromRecipe(text: string): UiOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('This file is not JSON, so not an image2svg recipe.');
  }
  const recipe = parsed as Partial<Recipe> | null;
  if (
    !recipe ||
    recipe.image2svg_recipe !== 1 ||
    typeof recipe.options !== 'object' ||
    recipe.options === null
  )
    throw new Error('This JSON file is not an image2svg recipe (no "image2svg_recipe": 1 and "options").');
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(recipe.options)) query.set(k, String(v));
  return fromQuery(query);
}
