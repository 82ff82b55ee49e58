import { describe, expect, it } from "vitest";
import { bytesFromBase64, bytesToBase64 } from "./base64.ts";
import { mulberry32 } from "../testing/rng.ts";

describe("base64", () => {
  it("matches the RFC 4648 test vectors", () => {
    const vectors: [string, string][] = [
      ["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"],
    ];
    const enc = new TextEncoder();
    for (const [plain, coded] of vectors) {
      expect(bytesToBase64(enc.encode(plain))).toBe(coded);
      expect(new TextDecoder().decode(bytesFromBase64(coded))).toBe(plain);
    }
  });

  it("round-trips random bytes of every length up to 64, including 0xff and 0x00", () => {
    const u = mulberry32(1);
    for (let len = 0; len <= 64; len++) {
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(u() * 256));
      if (len > 1) { bytes[0] = 0xff; bytes[1] = 0; }
      expect(Array.from(bytesFromBase64(bytesToBase64(bytes)))).toEqual(Array.from(bytes));
    }
  });

  it("rejects bad lengths, characters and misplaced padding", () => {
    expect(() => bytesFromBase64("abc")).toThrow("multiple of 4");
    expect(() => bytesFromBase64("ab!d")).toThrow("invalid base64 character at index 2");
    expect(() => bytesFromBase64("a=bc")).toThrow("invalid base64 character at index 1");
    expect(() => bytesFromBase64("ab\u00e9d")).toThrow("invalid base64 character");
  });
});
