import { describe, expect, it } from "vitest";
import { constantTimeEqual, constantTimeEqualText } from "./constant-time.ts";

/** A Uint8Array stand-in that counts reads of its elements. */
function counted(bytes: number[]): { array: Uint8Array; reads: () => number } {
  let reads = 0;
  const array = new Proxy(Uint8Array.from(bytes), {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads++;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { array, reads: () => reads };
}

describe("constantTimeEqual", () => {
  it("answers by content and length", () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(9, 2, 3), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("a length mismatch is never equal, whichever side is longer and even when one is a prefix of the other", () => {
    // Without the length check the loop would walk only `a`: an empty or shorter `a` would pass,
    // and a longer `a` ending in zero bytes would too (0 ^ undefined is 0).
    expect(constantTimeEqual(new Uint8Array(0), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3, 0), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(0), new Uint8Array(0))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(32), new Uint8Array(31))).toBe(false);
  });

  it("reads every byte even when the first one differs (no early exit on content)", () => {
    const a = counted([0, 1, 2, 3, 4, 5, 6, 7]);
    const b = counted([9, 1, 2, 3, 4, 5, 6, 7]);
    expect(constantTimeEqual(a.array, b.array)).toBe(false);
    expect([a.reads(), b.reads()]).toEqual([8, 8]);
  });
});

describe("constantTimeEqualText", () => {
  it("answers by content and length; a missing value is never equal", () => {
    expect(constantTimeEqualText("csrf-token", "csrf-token")).toBe(true);
    expect(constantTimeEqualText("csrf-tokeN", "csrf-token")).toBe(false);
    expect(constantTimeEqualText("csrf-toke", "csrf-token")).toBe(false);
    expect(constantTimeEqualText(undefined, "csrf-token")).toBe(false);
    expect(constantTimeEqualText("", "")).toBe(true);
  });

  it("a length mismatch is never equal: empty given, a prefix, and a longer value ending in NUL", () => {
    expect(constantTimeEqualText("", "csrf-token")).toBe(false);
    expect(constantTimeEqualText("c", "csrf-token")).toBe(false);
    expect(constantTimeEqualText("csrf-token\u0000", "csrf-token")).toBe(false);
    expect(constantTimeEqualText("x", "")).toBe(false);
  });

  it("tells different lone surrogates apart (no lossy UTF-8 step)", () => {
    expect(constantTimeEqualText("\uD800", "\uDBFF")).toBe(false);
  });
});
