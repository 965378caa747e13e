/**
 * The CLI's exit codes, documented in docs/CLI.md, and the error that stands
 * for a usage mistake (bad flags, option values or input/output combination).
 */
export const EXIT_OK = 0;
/** At least one file failed (unreadable, unsupported, corrupt, too large, or the conversion failed). */
export const EXIT_FILES_FAILED = 1;
/** The command line is wrong: nothing was converted. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
