/** `image2svg info`: format and size of images, read from their headers only. */
import { Command } from 'commander';
import { readImageHeader } from '../node/decode/index.js';
import { readInput } from '../node/read-input.js';
import { EXIT_FILES_FAILED, EXIT_OK } from './exit-codes.js';
import { formatBytes } from './format.js';
import { expandInputs } from './inputs.js';
import { failureLine } from './report.js';

export function infoCommand(setExitCode: (code: number) => void): Command {
  return new Command('info')
    .description('print the format and size of images (from their headers; nothing is decoded)')
    .argument('<inputs...>', 'image files or quoted globs; "-" reads standard input')
    .option('--json', 'print JSON')
    .action(async (inputs: string[], flags: { json?: boolean }) => {
      const { files, problems } = await expandInputs(inputs);
      for (const { input, message } of problems) process.stderr.write(`${failureLine(input, message)}\n`);
      let failed = problems.length > 0;
      const records: object[] = [];
      for (const file of files) {
        try {
          const bytes = await readInput(file);
          const { format, width, height } = await readImageHeader(bytes);
          records.push({ input: file, format, width, height, bytes: bytes.length });
          if (!flags.json) {
            process.stdout.write(
              `${file}: ${format.toUpperCase()} ${width}x${height}, ${formatBytes(bytes.length)}\n`,
            );
          }
        } catch (err) {
          failed = true;
          const { code, message } = err as { code?: string; message: string };
          records.push({ input: file, error: { code: code ?? 'READ_ERROR', message } });
          process.stderr.write(`${failureLine(file, message)}\n`);
        }
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      setExitCode(failed ? EXIT_FILES_FAILED : EXIT_OK);
    });
}
