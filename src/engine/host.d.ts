/**
 * The few host functions the engine may use. They exist in browsers, workers
 * and Node alike; declaring them here keeps DOM and Node types out of the
 * engine's compilation.
 */
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare const performance: { now(): number };
declare class TextEncoder {
  encode(input: string): Uint8Array;
}
