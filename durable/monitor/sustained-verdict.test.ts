import { describe, expect, it } from "vitest";
import { SustainedVerdict } from "./sustained-verdict.ts";

const T0 = 1_800_000_000_000;

describe("SustainedVerdict", () => {
  it("says so once every look was high for the span, then not within the cool-down; a low look restarts the span", () => {
    const v = new SustainedVerdict({ sustainMs: 1_000, coolDownMs: 5_000 });
    expect(v.look(T0, true)).toBe(false);
    expect(v.look(T0 + 999, true)).toBe(false);
    expect(v.look(T0 + 1_000, true)).toBe(true);
    expect(v.look(T0 + 2_000, true)).toBe(false); // the span restarted at the verdict, and the cool-down runs
    expect(v.look(T0 + 5_999, true)).toBe(false);
    expect(v.look(T0 + 6_000, true)).toBe(true);
    expect(v.look(T0 + 6_500, false)).toBe(false);
    expect(v.look(T0 + 12_000, true)).toBe(false); // high again only since now
    expect(v.look(T0 + 13_000, true)).toBe(true);
    expect(() => new SustainedVerdict({ sustainMs: 0, coolDownMs: -1 })).toThrow("coolDownMs must be >= 0: -1");
  });
});
