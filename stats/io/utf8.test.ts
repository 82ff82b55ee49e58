import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "./utf8.ts";

describe("decodeUtf8", () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  it("decodes a range of a larger buffer, ASCII or not", () => {
    const bytes = encode("ab,Zürich,東京😀,");
    expect(decodeUtf8(bytes, 0, 2)).toBe("ab");
    expect(decodeUtf8(bytes, 3, 10)).toBe("Zürich");
    expect(decodeUtf8(bytes, 11, bytes.length - 1)).toBe("東京😀");
    expect(decodeUtf8(bytes, 2, 2)).toBe("");
  });

  it("turns invalid sequences into U+FFFD, as a stream decoder does", () => {
    expect(decodeUtf8(Uint8Array.of(0x61, 0xff, 0x62), 0, 3)).toBe("a\uFFFDb");
    expect(decodeUtf8(Uint8Array.of(0x61, 0xe2, 0x82), 0, 3)).toBe("a\uFFFD");
  });

  it("decodes text far longer than a call's argument limit", () => {
    const long = "x".repeat(500_000);
    expect(decodeUtf8(encode(long), 0, long.length)).toBe(long);
  });
});
