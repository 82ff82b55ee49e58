import { describe, it, expect } from "vitest";
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import { mulberry32 } from "../testing/rng.ts";
import { readHybrid } from "./parquet-hybrid.ts";

/** ULEB128, as the hybrid's run headers are written. */
function varint(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** An RLE run: header count << 1, then the value in ceil(width / 8) little-endian bytes. */
function rleRun(value: number, count: number, width: number): number[] {
  const bytes = varint(count * 2);
  for (let index = 0; index < (width + 7) >> 3; index++) bytes.push((value >>> (8 * index)) & 0xff);
  return bytes;
}

/** A bit-packed run of values (padded with zeros to a multiple of 8), LSB first. */
function bitPackedRun(values: number[], width: number): number[] {
  const groups = Math.ceil(values.length / 8);
  const bytes = varint(groups * 2 + 1);
  const packed = new Uint8Array(groups * width);
  values.forEach((value, index) => {
    for (let bit = 0; bit < width; bit++) {
      if ((value >>> bit) & 1) packed[(index * width + bit) >> 3]! |= 1 << ((index * width + bit) & 7);
    }
  });
  return [...bytes, ...packed];
}

describe("readHybrid", () => {
  it("decodes RLE and bit-packed runs of every width up to 24, as hyparquet does", () => {
    const random = mulberry32(7);
    for (let width = 0; width <= 24; width++) {
      const values: number[] = [];
      const bytes: number[] = [];
      for (let run = 0; run < 20; run++) {
        const draw = () => (width === 0 ? 0 : Math.floor(random() * 2 ** width));
        if (random() < 0.5) {
          const count = 1 + Math.floor(random() * 300);
          const value = draw();
          bytes.push(...rleRun(value, count, width));
          for (let index = 0; index < count; index++) values.push(value);
        } else {
          const run = Array.from({ length: 8 * (1 + Math.floor(random() * 20)) }, draw);
          bytes.push(...bitPackedRun(run, width));
          values.push(...run);
        }
      }
      const encoded = Uint8Array.from(bytes);
      const out = new Int32Array(values.length);
      const end = readHybrid(encoded, 0, encoded.length, width, out, values.length);
      expect(end, `width ${width}`).toBe(encoded.length);
      expect(Array.from(out), `width ${width}`).toEqual(values);
      // hyparquet reads a byte for a width-0 bit-packed run (which holds none), so it is
      // compared from width 1, with some slack past the end for its look-ahead.
      if (width === 0) continue;
      const theirs = new Array<number>(values.length);
      const padded = new Uint8Array(encoded.length + 8);
      padded.set(encoded);
      readRleBitPackedHybrid({ view: new DataView(padded.buffer), offset: 0 }, width, theirs, encoded.length);
      expect(theirs, `width ${width}`).toEqual(values);
    }
  });

  it("stops at `count`, skipping a last bit-packed group's padding", () => {
    const encoded = Uint8Array.from(bitPackedRun([1, 0, 1, 1, 0], 1));
    const out = new Int32Array(5);
    expect(readHybrid(encoded, 0, encoded.length, 1, out, 5)).toBe(encoded.length);
    expect(Array.from(out)).toEqual([1, 0, 1, 1, 0]);
  });

  it("throws when the runs end before `count` values", () => {
    const encoded = Uint8Array.from(rleRun(3, 10, 2));
    expect(() => readHybrid(encoded, 0, encoded.length, 2, new Int32Array(11), 11)).toThrow(/ends after 10 of 11 values/);
    expect(() => readHybrid(encoded, 0, encoded.length, 25, new Int32Array(10), 10)).toThrow(/width 25/);
  });
});
