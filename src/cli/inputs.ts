/**
 * Expands the command's input arguments into files: an existing path is taken
 * as is, anything else with glob characters is expanded (tinyglobby), `-` is
 * standard input. Paths that match nothing are reported, not fatal, so one
 * typo does not stop a batch.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface ExpandedInputs {
  /** Files to convert, in argument order (glob matches sorted), without duplicates; `-` for stdin. */
  readonly files: string[];
  /** Arguments that gave no file, with the reason. */
  readonly problems: { input: string; message: string }[];
}

async function kind(path: string): Promise<'file' | 'directory' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'directory' : 'file';
  } catch {
    return null;
  }
}

export async function expandInputs(args: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const problems: ExpandedInputs['problems'] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const key = file === '-' ? '-' : resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  for (const arg of args) {
    if (arg === '-') {
      add(arg);
      continue;
    }
    const k = await kind(arg);
    if (k === 'file') add(arg);
    else if (k === 'directory') {
      problems.push({
        input: arg,
        message: `is a directory (to convert what is in it, quote a glob: "${arg}/*.png")`,
      });
    } else if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) problems.push({ input: arg, message: 'no file matches this pattern' });
      matches.forEach(add);
    } else {
      problems.push({ input: arg, message: 'no such file' });
    }
  }
  return { files, problems };
}
