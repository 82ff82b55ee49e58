import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "./bytes.ts";

describe("ByteWriter / ByteReader", () => {
  it("round-trips varints across byte boundaries up to 2^53 − 1", () => {
    const values = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 32, 2 ** 53 - 1];
    const out = new ByteWriter();
    for (const v of values) out.varint(v);
    const input = new ByteReader(out.finish());
    expect(values.map(() => input.varint())).toEqual(values);
    expect(input.done).toBe(true);
  });

  it("writes LEB128: 300 is ac 02", () => {
    const out = new ByteWriter();
    out.varint(300);
    expect(Array.from(out.finish())).toEqual([0xac, 0x02]);
  });

  it("round-trips doubles, strings and byte blocks, growing past its first buffer", () => {
    const out = new ByteWriter();
    const block = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    out.f64(-0.1);
    out.string("température ✓");
    out.bytes(block);
    out.u8(7);
    const input = new ByteReader(out.finish());
    expect(input.f64()).toBe(-0.1);
    expect(input.string()).toBe("température ✓");
    expect(input.bytes()).toEqual(block);
    expect(input.u8()).toBe(7);
  });

  it("rejects bad varints and truncated input", () => {
    expect(() => new ByteWriter().varint(-1)).toThrow(/safe integer >= 0/);
    expect(() => new ByteWriter().varint(0.5)).toThrow(/safe integer >= 0/);
    expect(() => new ByteReader(Uint8Array.of(0x80)).varint()).toThrow(/truncated/);
    expect(() => new ByteReader(new Uint8Array(9).fill(0xff)).varint()).toThrow(/longer than 8 bytes/);
    expect(() => new ByteReader(Uint8Array.of(5, 1)).bytes()).toThrow(/truncated/);
  });
});
