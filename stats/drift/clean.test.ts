import { describe, expect, it } from "vitest";
import { cleanColumn, cleanNumerical, isMissingValue } from "./clean.ts";
import { DriftInputError } from "./errors.ts";
import type { CleanColumn } from "./types.ts";

/** A cleaned column's values (none of these inputs comes as label codes, which clean to a tally). */
function valuesOf(column: CleanColumn): Float64Array | readonly string[] {
  if (!("values" in column)) throw new Error("expected values, got a tally");
  return column.values;
}

describe("cleaning", () => {
  it("drops ±Infinity, NaN, null, undefined and empty strings", () => {
    for (const v of [Infinity, -Infinity, NaN, null, undefined, ""]) expect(isMissingValue(v)).toBe(true);
    for (const v of [0, -0, 1.5, "a", "0", false]) expect(isMissingValue(v)).toBe(false);
    const col = cleanColumn([1, Infinity, null, 2.5, "", NaN, undefined, -Infinity, 3], "numerical", "x", "reference");
    expect(col.kind).toBe("numerical");
    expect(Array.from(valuesOf(col) as Float64Array)).toEqual([1, 2.5, 3]);
  });

  it("reads numeric text and booleans in numerical columns, and skips textual infinities", () => {
    expect(Array.from(cleanNumerical(["1.5", " 2 ", "-3e2", true, "inf", "-Infinity", "nan"], "c"))).toEqual([1.5, 2, -300, 1]);
  });

  it("refuses non-numeric text in a numerical column, naming the column", () => {
    expect(() => cleanColumn([1, "abc"], "numerical", "age", "current")).toThrow(DriftInputError);
    expect(() => cleanColumn([1, "abc"], "numerical", "age", "current")).toThrow('column "age" in current');
  });

  it("turns categorical values into strings", () => {
    const col = cleanColumn(["a", 1, true, null, "", 2.5], "categorical", "c", "reference");
    expect(valuesOf(col)).toEqual(["a", "1", "true", "2.5"]);
  });

  it("cleans packed columns (a reader's Float64Array) like plain arrays, without copying a clean one", () => {
    const packed = Float64Array.of(1, Number.NaN, Infinity, -0, 2.5, -Infinity);
    const col = cleanColumn(packed, "numerical", "x", "reference");
    expect(Array.from(valuesOf(col) as Float64Array)).toEqual([1, -0, 2.5]);
    expect(Object.is((valuesOf(col) as Float64Array)[1], -0)).toBe(true);
    expect(col.kind === "numerical" && col.integer).toBe(false);
    const whole = Float64Array.of(3, 1, 2);
    const clean = cleanColumn(whole, "numerical", "x", "reference");
    expect(valuesOf(clean)).toBe(whole);
    expect(clean.kind === "numerical" && clean.integer).toBe(true);
    expect(valuesOf(cleanColumn(packed, "categorical", "x", "reference"))).toEqual(["1", "0", "2.5"]);
  });

  it("keeps an all-label categorical column as it is, and copies one with missing values", () => {
    const labels = ["a", "b", "a"];
    expect(valuesOf(cleanColumn(labels, "categorical", "c", "reference"))).toBe(labels);
    expect(valuesOf(cleanColumn(["a", null, "b"], "categorical", "c", "reference"))).toEqual(["a", "b"]);
  });

  it("marks integer columns without missing values (pandas int64)", () => {
    const ints = cleanColumn([1, 2, 3], "numerical", "i", "reference");
    const withMissing = cleanColumn([1, 2, null], "numerical", "i", "reference");
    const floats = cleanColumn([1, 2.5], "numerical", "i", "reference");
    expect(ints.kind === "numerical" && ints.integer).toBe(true);
    expect(withMissing.kind === "numerical" && withMissing.integer).toBe(false);
    expect(floats.kind === "numerical" && floats.integer).toBe(false);
  });

  it("is an error when nothing is left, naming column and side", () => {
    expect(() => cleanColumn([null, NaN, Infinity, ""], "numerical", "age", "reference")).toThrow(
      'column "age" is empty after cleaning in reference',
    );
    expect(() => cleanColumn([], "categorical", "city", "current")).toThrow('column "city" is empty after cleaning in current');
  });
});
