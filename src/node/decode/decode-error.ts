/** The one error type of the decoding adapter; `code` is stable, `message` says what a person can act on. */
export type DecodeErrorCode = 'UNSUPPORTED_FORMAT' | 'CORRUPT_IMAGE' | 'IMAGE_TOO_LARGE' | 'EMPTY_INPUT';

export class DecodeError extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}
