import { describe, expect, it } from "vitest";
import { INTEREST, LOSS, revenueOf, VALUE_MATRIX } from "./business.ts";

describe("the demo's loan economics", () => {
  it("reports revenue only for approved loans, and the value matrix prices the same outcomes", () => {
    expect(revenueOf(0, 0)).toBe(INTEREST);
    expect(revenueOf(0, 1)).toBe(LOSS);
    expect(revenueOf(1, 0)).toBeNull();
    expect(revenueOf(1, 1)).toBeNull();
    // Approved = predicted non-default (negative): tn is a repaid loan, fn a default.
    expect(VALUE_MATRIX.tn).toBe(revenueOf(0, 0));
    expect(VALUE_MATRIX.fn).toBe(revenueOf(0, 1));
    expect(VALUE_MATRIX.fp).toBe(-INTEREST);
  });
});
