// Minimal little-endian byte writer/reader for the window state's binary form. Counts
// are LEB128 varints (a 1-minute window's counts are mostly small, so most take one
// byte); floats are IEEE-754 doubles.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export class ByteWriter {
  #buffer = new Uint8Array(256);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.#length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
    this.#view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = value;
  }

  /** Unsigned integer up to 2^53 − 1 as LEB128. */
  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint must be a safe integer >= 0: ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.u8((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.u8(rest);
  }

  f64(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
  }

  string(value: string): void {
    this.bytes(encoder.encode(value));
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }
}

export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(count: number): void {
    if (this.#offset + count > this.#bytes.length) {
      throw new Error(`truncated window bytes: need ${count} at offset ${this.#offset} of ${this.#bytes.length}`);
    }
  }

  u8(): number {
    this.#need(1);
    return this.#bytes[this.#offset++] as number;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new Error("varint longer than 8 bytes");
  }

  f64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  bytes(): Uint8Array {
    const length = this.varint();
    this.#need(length);
    const out = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  string(): string {
    return decoder.decode(this.bytes());
  }

  get done(): boolean {
    return this.#offset === this.#bytes.length;
  }
}
