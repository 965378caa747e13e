/**
 * Peak memory of image2svg on 8192 x 8192 inputs, each measured in a fresh
 * child process (decode + vectorize) so the figure is that conversion's alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import sharp from 'sharp';
import { seededSample } from './random.js';
import { CACHE } from './sets.js';

export interface MemoryResult {
  readonly label: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly maxRssMB?: number;
  readonly ms?: number;
  readonly bytes?: number;
}

const SIDE = 8192;
const TIMEOUT_MS = 300_000;
const ROOT = new URL('..', import.meta.url).pathname;

/** An 8 x 8 sheet of 64 simple-icons logos, black on white, anti-aliased: many shapes, as a large scan would have. */
async function bigBinary(path: string): Promise<void> {
  const dir = join(ROOT, 'node_modules/simple-icons/icons');
  const { readdirSync } = await import('node:fs');
  const cell = SIDE / 8;
  const files = seededSample(
    readdirSync(dir).filter((f) => f.endsWith('.svg')),
    64,
    8192,
  );
  const tiles = files.map((f, i) => ({
    input: Buffer.from(
      new Resvg(readFileSync(join(dir, f), 'utf8'), { fitTo: { mode: 'width', value: cell - 64 } })
        .render()
        .asPng(),
    ),
    left: (i % 8) * cell + 32,
    top: Math.floor(i / 8) * cell + 32,
  }));
  await sharp({ create: { width: SIDE, height: SIDE, channels: 3, background: 'white' } })
    .composite(tiles)
    .png({ compressionLevel: 1 })
    .toFile(path);
}

/** A real photograph (mate-backgrounds) scaled up to cover 8192 x 8192, as JPEG. */
async function bigPhoto(path: string): Promise<void> {
  await sharp('/usr/share/backgrounds/mate/nature/LadyBird.jpg')
    .resize(SIDE, SIDE, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toFile(path);
}

function probe(label: string, mode: string, file: string): MemoryResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/memory-probe.ts'), mode, file],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      maxBuffer: 1 << 20,
    },
  );
  if (r.error)
    return {
      label,
      ok: false,
      error: r.error.message.includes('ETIMEDOUT')
        ? `timed out after ${TIMEOUT_MS / 1000} s`
        : r.error.message,
    };
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { label, ...(JSON.parse(last) as Omit<MemoryResult, 'label'>) };
  } catch {
    return {
      label,
      ok: false,
      error: `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.trim().split('\n').pop() ?? ''}`,
    };
  }
}

export async function measureMemory(): Promise<MemoryResult[]> {
  const dir = join(CACHE, 'large');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, 'logos-8192.png');
  const photo = join(dir, 'photo-8192.jpg');
  if (!existsSync(binary)) await bigBinary(binary);
  if (!existsSync(photo)) await bigPhoto(photo);
  return [
    probe('8192 x 8192 binary (64 logos, PNG), binary mode', 'binary', binary),
    probe('8192 x 8192 colour photograph (JPEG), colour mode', 'color', photo),
  ];
}
