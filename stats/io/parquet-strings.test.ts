import { describe, it, expect } from "vitest";
import { StringInterner } from "./parquet-strings.ts";

const encoder = new TextEncoder();

/** The interner's text for each value, all laid out in one byte array as a page holds them. */
function texts(interner: StringInterner, values: string[]): string[] {
  const encoded = values.map((value) => encoder.encode(value));
  const bytes = new Uint8Array(encoded.reduce((total, value) => total + value.length, 0));
  const out: string[] = [];
  let offset = 0;
  for (const value of encoded) {
    bytes.set(value, offset);
    out.push(interner.text(bytes, offset, offset + value.length));
    offset += value.length;
  }
  return out;
}

describe("StringInterner", () => {
  it("gives back each value's text, repeats and near-duplicates included", () => {
    const values = ["Oslo", "Lima", "Oslo", "", "Osl", "Oslo ", "Kraków", "Kraków", "", "a much longer label than eight bytes", "a much longer label than eight bytez"];
    expect(texts(new StringInterner(), values)).toEqual(values);
  });

  it("keeps decoding correctly past its 4096 distinct values", () => {
    const values = Array.from({ length: 10_000 }, (_, index) => `id-${index % 6000}`);
    expect(texts(new StringInterner(), values)).toEqual(values);
  });

  it("decodes invalid UTF-8 as TextDecoder does (U+FFFD)", () => {
    const interner = new StringInterner();
    const bytes = Uint8Array.of(0x61, 0xff, 0x62);
    expect(interner.text(bytes, 0, 3)).toBe(new TextDecoder().decode(bytes));
    expect(interner.text(bytes, 0, 3)).toBe("a\ufffdb");
  });
});
