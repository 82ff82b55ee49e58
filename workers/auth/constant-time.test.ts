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

  it("tells different lone surrogates apart (no lossy UTF-8 step)", () => {
    expect(constantTimeEqualText("\uD800", "\uDBFF")).toBe(false);
  });
});
