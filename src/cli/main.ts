/**
 * The `image2svg` command line: `convert`, `info` and `worker` (the service's worker role). `run` returns the exit
 * code instead of exiting, so standard output is flushed before the process
 * ends (bin/image2svg.js sets process.exitCode).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/index.js';
import { convertCommand } from './convert-command.js';
import { EXIT_FILES_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes.js';
import { infoCommand } from './info-command.js';
import { workerCommand } from './worker-command.js';

function packageVersion(): string {
  // Two levels up from both src/cli and dist/cli.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('image2svg')
    .description('Raster images to clean, compact, faithful SVG.')
    .version(`image2svg ${packageVersion()} (engine ${ENGINE_VERSION})`, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ image2svg convert logo.png -o logo.svg
  $ image2svg convert "scans/*.jpg" --out-dir svg --threshold adaptive
  $ cat photo.png | image2svg convert - --preset photo > photo.svg
  $ image2svg info image.bmp
  $ REDIS_HOST=redis image2svg worker

Run image2svg convert --help for every option. Exit codes: 0 ok, 1 some file
failed, 2 usage error.`,
    )
    .exitOverride();
  for (const cmd of [convertCommand(setExitCode), infoCommand(setExitCode), workerCommand(setExitCode)]) {
    program.addCommand(cmd.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; no command at all shows the help and is a usage error.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`image2svg: ${err.message}\n(add --help for usage)\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `image2svg: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`,
    );
    return EXIT_FILES_FAILED;
  }
}
