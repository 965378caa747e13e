/**
 * The batch progress bar on standard error (cli-progress), shown only when
 * standard error is a terminal. Messages printed while it runs go above it.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface Progress {
  /** Overall progress: finished files plus the fractions of those in flight. */
  update(value: number, done: number, file: string): void;
  /** Prints a line without breaking the bar. */
  log(line: string): void;
  stop(): void;
}

class TerminalProgress implements Progress {
  private readonly multi: MultiBar;
  private readonly bar: SingleBar;

  constructor(total: number) {
    this.multi = new MultiBar(
      {
        stream: process.stderr,
        format: ' {bar} {percentage}% | {done}/{files} files | ETA {eta_formatted} | {file}',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      Presets.shades_classic,
    );
    this.bar = this.multi.create(total, 0, { done: 0, files: total, file: '' });
    process.once('SIGINT', this.interrupted);
  }

  /** Ctrl-C: give the terminal its cursor back, then exit as an interrupted process does (128 + SIGINT). */
  private readonly interrupted = (): void => {
    this.multi.stop();
    process.exit(130);
  };

  update(value: number, done: number, file: string): void {
    this.bar.update(value, { done, file });
  }

  log(line: string): void {
    this.multi.log(`${line}\n`);
  }

  stop(): void {
    // cli-progress prints logged lines only when it redraws: flush them before the bar goes.
    process.removeListener('SIGINT', this.interrupted);
    this.multi.update();
    this.multi.stop();
  }
}

class PlainProgress implements Progress {
  update(): void {}
  log(line: string): void {
    process.stderr.write(`${line}\n`);
  }
  stop(): void {}
}

export function createProgress(total: number, enabled: boolean): Progress {
  return enabled && process.stderr.isTTY ? new TerminalProgress(total) : new PlainProgress();
}
