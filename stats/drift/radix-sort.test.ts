import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/rng.ts";
import { sortedCopy } from "./radix-sort.ts";

function expectSameAsBuiltIn(values: Float64Array): void {
  const expected = values.slice().sort();
  const actual = sortedCopy(values);
  expect(actual).not.toBe(values);
  expect(actual.length).toBe(expected.length);
  // Object.is tells -0 from 0, which toEqual would not.
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe("sortedCopy", () => {
  const random = mulberry32(3);

  it("orders mixed signs, zeros of both signs, infinities, subnormals and ties as the built-in sort", () => {
    const values = new Float64Array(20_000);
    const specials = [-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MIN_VALUE];
    for (let i = 0; i < values.length; i++) {
      const pick = random();
      values[i] = pick < 0.1 ? (specials[i % specials.length] as number) : pick < 0.4 ? Math.round((random() - 0.5) * 20) : (random() - 0.5) * 10 ** (random() * 40 - 20);
    }
    expectSameAsBuiltIn(values);
  });

  it("sorts integer columns whose low digits are all equal (skipped passes)", () => {
    const values = Float64Array.from({ length: 10_000 }, () => Math.floor(random() * 5));
    expectSameAsBuiltIn(values);
    expectSameAsBuiltIn(new Float64Array(10_000).fill(2.5));
  });

  it("leaves its input unchanged and handles short arrays and NaN", () => {
    const values = Float64Array.from({ length: 5000 }, () => random() - 0.5);
    const before = values.slice();
    sortedCopy(values);
    expect(values).toEqual(before);
    expectSameAsBuiltIn(Float64Array.of(3, -1, 2));
    values[17] = Number.NaN;
    const sorted = sortedCopy(values);
    expect(Number.isNaN(sorted[sorted.length - 1])).toBe(true);
    expect(sorted[0]).toBe(Math.min(...before.filter((_, i) => i !== 17)));
  });
});
