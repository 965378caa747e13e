/** Reading image bytes from a file or from standard input. */
import { readFile } from 'node:fs/promises';

/** Collects a readable stream (e.g. `process.stdin`) into one byte array. */
export async function readStream(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Reads a file's bytes; `-` reads standard input. */
export async function readInput(path: string): Promise<Uint8Array> {
  if (path === '-') return readStream(process.stdin);
  return readFile(path);
}
