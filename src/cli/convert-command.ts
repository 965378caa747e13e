/** `image2svg convert`: flags to settings, inputs to outputs, then the batch and its report. */
import { Command, InvalidArgumentError } from 'commander';
import { addEngineFlags, engineOptions } from './engine-flags.js';
import { EXIT_FILES_FAILED, EXIT_OK, UsageError } from './exit-codes.js';
import { expandInputs } from './inputs.js';
import { chooseFormat, planOutputs } from './output-plan.js';
import { failureLine, jsonReport, resizeNote, successLine, summaryLine } from './report.js';
import { runBatch } from './run-batch.js';

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError('Expected a positive integer.');
  return Number(value);
}

interface ConvertFlags {
  output?: string;
  format?: string;
  outDir?: string;
  maxSide?: number;
  maxPixels?: number;
  resize?: boolean;
  jobs?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  progress: boolean;
}

const EXAMPLES = `
Examples:
  $ image2svg convert logo.png                      writes logo.svg beside logo.png
  $ image2svg convert scan.jpg -o scan.svg --threshold adaptive
  $ image2svg convert "icons/*.png" --out-dir svg   a batch, one worker per core
  $ image2svg convert photo.webp --preset photo --colors 16 -o photo.svg
  $ cat drawing.bmp | image2svg convert - > drawing.svg
  $ image2svg convert big.tif --max-side 4096 --resize -o big.svg
  $ image2svg convert sign.png -o sign.dxf --dpi 300  DXF in millimetres for a cutter
  $ image2svg convert logo.png --format pdf --units mm  logo.pdf at the image's size

Exit codes: 0 every file converted, 1 some file failed (the others are still
written), 2 usage error (nothing converted).`;

export function convertCommand(setExitCode: (code: number) => void): Command {
  const cmd = new Command('convert')
    .description('convert images (PNG, JPEG, GIF, BMP, TIFF, WebP) to SVG')
    .argument('<inputs...>', 'image files or quoted globs; "-" reads standard input')
    .optionsGroup('Output:')
    .option('-o, --output <file>', 'output file for a single input ("-" for standard output)')
    .option('--out-dir <dir>', 'write <name>.svg (or .pdf, .eps, .dxf) files here (created if missing)')
    .option('-f, --format <format>', 'svg, pdf, eps or dxf (default: from the -o file extension, else svg)')
    .optionsGroup('Limits:')
    .option('--max-side <px>', 'largest width or height accepted (default 16384)', positiveInteger)
    .option('--max-pixels <n>', 'largest number of pixels accepted (default 268402689)', positiveInteger)
    .option('--resize', 'downscale images over --max-side instead of failing them')
    .optionsGroup('Batch and messages:')
    .option('-j, --jobs <n>', 'worker threads for a batch (default: the number of cores)', positiveInteger)
    .option('--json', 'print a JSON report of every file on standard output')
    .option('-q, --quiet', 'print only errors')
    .option('-v, --verbose', 'print a line per converted file')
    .option('--no-progress', 'no progress bar (it only shows when standard error is a terminal)');
  addEngineFlags(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (inputs: string[], flags: ConvertFlags, self: Command) => {
    const t0 = performance.now();
    const options = engineOptions(self);
    const { files, problems } = await expandInputs(inputs);
    const format = chooseFormat(flags.format, flags.output);
    const plan = planOutputs(files, { output: flags.output, outDir: flags.outDir, format });
    if (flags.json && plan.some((p) => p.output === '-')) {
      throw new UsageError('--json prints to standard output, which the SVG uses: give -o FILE or --out-dir');
    }
    if (files.includes('-') && process.stdin.isTTY) {
      throw new UsageError(
        '"-" reads the image from standard input: pipe one in (cat image.png | image2svg convert -)',
      );
    }
    for (const { input, message } of problems) process.stderr.write(`${failureLine(input, message)}\n`);

    const results = await runBatch(
      plan,
      {
        options,
        format,
        limits: { maxSide: flags.maxSide, maxPixels: flags.maxPixels, resize: flags.resize ?? false },
        jobs: flags.jobs,
        progress: flags.progress && !flags.quiet && !flags.json,
        verbose: flags.verbose ?? false,
      },
      (result, log) => {
        if (!result.outcome.ok) log(failureLine(result.input, result.outcome.message));
        else if (flags.verbose) log(successLine(result));
        const note = flags.quiet ? null : resizeNote(result);
        if (note) log(note);
      },
    );

    if (flags.json) process.stdout.write(`${JSON.stringify(jsonReport(results, problems), null, 2)}\n`);
    else if (!flags.quiet && plan.length + problems.length > 1) {
      process.stderr.write(`${summaryLine(results, problems.length, performance.now() - t0)}\n`);
    }
    const failed = problems.length > 0 || results.some((r) => !r.outcome.ok);
    setExitCode(failed ? EXIT_FILES_FAILED : EXIT_OK);
  });
  return cmd;
}
