import { describe, expect, it } from "vitest";
import { formatMs, formatScore } from "./format.ts";

describe("formatScore", () => {
  it.each([
    [600, "600"],
    [0.5, "0.5"],
    [0.355, "0.355"],
    [1.86, "1.86"],
    [120, "120"],
    [12345, "12345"],
    [0.00012, "1.2e-4"],
    [0, "0"],
    [null, "—"],
  ])("%s → %s", (v, text) => {
    expect(formatScore(v)).toBe(text);
  });
  it("formats latency in ms and s", () => {
    expect(formatMs(4.25)).toBe("4.3 ms");
    expect(formatMs(1500)).toBe("1.50 s");
  });
});
