import { describe, expect, it } from "vitest";
import { mulberry32 } from "../stats/testing/rng.ts";
import { nodeFindByte } from "./node-find-byte.ts";

describe("nodeFindByte", () => {
  it("finds what Uint8Array.prototype.indexOf finds, in views at any offset and from any start", () => {
    const random = mulberry32(3);
    const whole = Uint8Array.from({ length: 4096 }, () => (random() < 0.02 ? 34 : random() < 0.05 ? 10 : 97));
    let found = 0;
    for (let trial = 0; trial < 400; trial++) {
      const start = Math.floor(random() * 200);
      const view = whole.subarray(start, start + Math.floor(random() * 3000));
      for (const from of [0, Math.floor(random() * view.length), view.length - 1, view.length, view.length + 5]) {
        for (const byte of [34, 10, 0]) {
          const expected = view.indexOf(byte, from);
          if (expected >= 0) found++;
          expect(nodeFindByte(view, byte, from)).toBe(expected);
        }
      }
    }
    expect(found).toBeGreaterThan(500);
  });
});
