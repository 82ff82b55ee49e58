import { describe, expect, it } from "vitest";
import { inferKind } from "./infer-kind.ts";
import { categoryRejection, numericRejection, toCategory, toFiniteNumber } from "./values.ts";

describe("numeric cells", () => {
  it.each([
    [3.5, 3.5],
    [" -2e3 ", -2000],
    ["0", 0],
  ])("%j is the number %d", (raw, expected) => {
    expect(toFiniteNumber(raw)).toBe(expected);
  });

  it.each([
    [null, "missing"],
    [undefined, "missing"],
    [Number.NaN, "missing"],
    ["", "missing"],
    ["NaN", "missing"],
    [Infinity, "non_finite"],
    ["-Infinity", "non_finite"],
    ["12abc", "type_violation"],
    [true, "type_violation"],
    [{}, "type_violation"],
  ])("%j is rejected as %s", (raw, why) => {
    expect(Number.isNaN(toFiniteNumber(raw))).toBe(true);
    expect(numericRejection(raw)).toBe(why);
  });
});

describe("categorical cells", () => {
  it("maps strings, numbers and booleans to labels", () => {
    expect(toCategory("red")).toBe("red");
    expect(toCategory(3)).toBe("3");
    expect(toCategory(false)).toBe("false");
  });

  it("rejects missing and non-label cells", () => {
    expect(toCategory("")).toBeUndefined();
    expect(categoryRejection("")).toBe("missing");
    expect(toCategory(Infinity)).toBeUndefined();
    expect(categoryRejection(Infinity)).toBe("non_finite");
    expect(toCategory([1])).toBeUndefined();
    expect(categoryRejection([1])).toBe("type_violation");
  });
});

describe("inferKind", () => {
  it("calls numbers numerical and anything else categorical", () => {
    expect(inferKind([1, null, 2.5, Infinity])).toBe("numerical");
    expect(inferKind([1, "2"])).toBe("categorical");
    expect(inferKind([true, false])).toBe("categorical");
    expect(inferKind([null, Number.NaN, ""])).toBeUndefined();
  });
});
