import { describe, expect, it } from "vitest";
import { hash64, murmur3, murmur3Bytes } from "./murmur3.ts";

describe("murmur3 x86_32", () => {
  // Published reference values for MurmurHash3_x86_32 (SMHasher implementation).
  it.each([
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["a", 0x9747b28c, 0x7fa09ea6],
    ["aa", 0x9747b28c, 0x5d211726],
    ["aaa", 0x9747b28c, 0x283e0130],
    ["aaaa", 0x9747b28c, 0x5a97808a],
    ["abcd", 0x9747b28c, 0xf0478627],
    ["Hello, world!", 0x9747b28c, 0x24884cba],
    ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ])("hashes %j with seed %d", (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it("hashes four zero bytes like the reference", () => {
    expect(murmur3Bytes(new Uint8Array(4), 4, 0)).toBe(0x2362f9de);
  });

  it("hashes non-ASCII text by its UTF-8 bytes", () => {
    const bytes = new TextEncoder().encode("café π 😀");
    expect(murmur3("café π 😀", 7)).toBe(murmur3Bytes(bytes, bytes.length, 7));
    expect(murmur3("café π 😀", 7)).not.toBe(murmur3("cafe π 😀", 7));
  });

  it("gives two different 32-bit halves for hash64", () => {
    const [hi, lo] = hash64("x");
    expect(hi).not.toBe(lo);
    expect(hi).toBeGreaterThanOrEqual(0);
    expect(lo).toBeLessThan(2 ** 32);
  });
});
