/**
 * Where each input's SVG goes: `-o FILE` (one input; `-` is standard output),
 * `--out-dir DIR` (input basename with .svg), or by default beside the input
 * (standard input goes to standard output). Plans that would lose a result
 * (two inputs to one file, an output over its input) are usage errors.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FORMAT_INFO, OUTPUT_FORMATS, type OutputFormat } from '../engine/index.js';
import { UsageError } from './exit-codes.js';

export interface PlannedOutput {
  readonly input: string;
  /** File path, or `-` for standard output. */
  readonly output: string;
}

export interface OutputFlags {
  output?: string;
  outDir?: string;
  /** The output format: names the files' extension (default svg). */
  format?: OutputFormat;
}

function outputName(input: string, format: OutputFormat): string {
  const base = basename(input);
  const ext = extname(base);
  return (ext ? base.slice(0, -ext.length) : base) + FORMAT_INFO[format].extension;
}

/**
 * The output format: `--format` if given, else the extension of `-o FILE`
 * (.svg .pdf .eps .dxf, any case), else SVG. A `--format` that contradicts
 * the -o file's known extension is a usage error rather than a misnamed file.
 */
export function chooseFormat(format: string | undefined, output: string | undefined): OutputFormat {
  const ext = output && output !== '-' ? extname(output).slice(1).toLowerCase() : '';
  const fromExt = (OUTPUT_FORMATS as readonly string[]).includes(ext) ? (ext as OutputFormat) : undefined;
  if (format === undefined) return fromExt ?? 'svg';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: expected one of ${OUTPUT_FORMATS.join(', ')}, got "${format}"`);
  }
  if (fromExt && fromExt !== format) {
    throw new UsageError(`--format ${format} but the output file ${output} is named .${fromExt}`);
  }
  return format as OutputFormat;
}

export function planOutputs(files: readonly string[], flags: OutputFlags): PlannedOutput[] {
  const { output, outDir } = flags;
  if (output !== undefined && outDir !== undefined)
    throw new UsageError('use either -o/--output or --out-dir, not both');
  if (output !== undefined && files.length > 1) {
    throw new UsageError(`-o/--output takes one input, got ${files.length}; use --out-dir for many`);
  }
  const stdin = files.includes('-');
  if (stdin && files.length > 1)
    throw new UsageError('"-" (standard input) cannot be mixed with other inputs');
  if (stdin && outDir !== undefined)
    throw new UsageError('"-" (standard input) goes to standard output or -o FILE');

  const plan = files.map((input): PlannedOutput => {
    if (output !== undefined) return { input, output };
    if (input === '-') return { input, output: '-' };
    return { input, output: join(outDir ?? dirname(input), outputName(input, flags.format ?? 'svg')) };
  });

  const owners = new Map<string, string>();
  for (const { input, output: out } of plan) {
    if (out === '-') continue;
    const key = resolve(out);
    if (input !== '-' && key === resolve(input))
      throw new UsageError(`${input}: the output would overwrite the input`);
    const other = owners.get(key);
    if (other !== undefined) throw new UsageError(`${other} and ${input} would both be written to ${out}`);
    owners.set(key, input);
  }
  return plan;
}
