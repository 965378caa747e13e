/** Append-only typed arrays that double when full, for outputs whose size is not known up front. */
import { keepShape } from '../keep-shapes.js';

export class Int32List {
  data: Int32Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Int32Array(Math.max(4, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  private grow(): void {
    const d = new Int32Array(this.data.length * 2);
    d.set(this.data);
    this.data = d;
  }
  /** The filled part, trimmed to a copy of exactly `length` entries. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class Uint8List {
  data: Uint8Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Uint8Array(Math.max(4, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Uint8Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  toArray(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

// Template instances keep the hidden classes alive between calls (see keep-shapes.ts).
keepShape(new Int32List());
keepShape(new Uint8List());
