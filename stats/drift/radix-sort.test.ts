import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/rng.ts";
import { recycleSorted, sortedCopy } from "./radix-sort.ts";

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

  it("gives the same result from a scratch buffer a longer column left behind, for every parity of passes", () => {
    // The module's scratch buffer and count tables are reused: a long sort first leaves
    // them full of its keys and offsets.
    const long = Float64Array.from({ length: 50_000 }, () => (random() - 0.5) * 1e6);
    expectSameAsBuiltIn(long);
    // 4 passes (random doubles), 2 (integers < 65536: only the high word's digits vary),
    // 1 and 0 (every value the same) end in the result from either start buffer.
    expectSameAsBuiltIn(Float64Array.from({ length: 9000 }, () => (random() - 0.5) * 1e3));
    expectSameAsBuiltIn(Float64Array.from({ length: 9000 }, () => Math.floor(random() * 60_000) - 30_000));
    expectSameAsBuiltIn(Float64Array.from({ length: 9000 }, (_, i) => (i % 2 === 0 ? 0.5 : 0.75)));
    expectSameAsBuiltIn(new Float64Array(9000).fill(-0));
    expectSameAsBuiltIn(Float64Array.from({ length: 9000 }, (_, i) => (i % 3 === 0 ? -Infinity : i % 3 === 1 ? Infinity : -0)));
    // And the long one again, after the short ones.
    expectSameAsBuiltIn(long);
  });

  it("sorts a view into a larger buffer and leaves the rest of the buffer alone", () => {
    const buffer = Float64Array.from({ length: 12_000 }, () => random() - 0.5);
    const before = buffer.slice();
    const view = buffer.subarray(1000, 11_000);
    expectSameAsBuiltIn(view);
    expect(buffer).toEqual(before);
  });

  it("falls back to the built-in sort for NaN after the count tables were partly filled", () => {
    const values = Float64Array.from({ length: 8000 }, () => random() - 0.5);
    values[7999] = Number.NaN;
    const sorted = sortedCopy(values);
    expect(Number.isNaN(sorted[7999])).toBe(true);
    // The next sort starts from zeroed tables.
    values[7999] = 0.25;
    expectSameAsBuiltIn(values);
  });

  it("sorts values that differ only in their low mantissa bits (digits across and below the word boundary)", () => {
    const lowBits = Float64Array.from({ length: 30_000 }, () => 1 + Math.floor(random() * 2 ** 20) * 2 ** -52);
    expectSameAsBuiltIn(lowBits);
    const straddling = Float64Array.from({ length: 30_000 }, () => -(1 + Math.floor(random() * 2 ** 40) * 2 ** -52));
    expectSameAsBuiltIn(straddling);
  });

  it("sorts a comb of values spread over every exponent, with long runs of ties among them", () => {
    // Every level of the sort splits off little here: the worst case for its depth.
    const values = Float64Array.from({ length: 40_000 }, (_, i) =>
      i % 4 === 0 ? 7 : (random() < 0.5 ? -1 : 1) * 2 ** (Math.floor(random() * 2000) - 1000) * (1 + Math.floor(random() * 8) / 8),
    );
    expectSameAsBuiltIn(values);
  });

  it("falls back for NaN of either sign bit next to infinities, and sorts infinities without NaN itself", () => {
    const values = Float64Array.from({ length: 6000 }, (_, i) => (i % 7 === 0 ? Infinity : i % 11 === 0 ? -Infinity : random() - 0.5));
    expectSameAsBuiltIn(values);
    // A NaN whose sign bit is set: its key would sort below -Infinity.
    const view = new DataView(values.buffer);
    view.setUint32(8 * 100 + 4, 0xfff80001, true);
    const sorted = sortedCopy(values);
    expect(Number.isNaN(sorted[5999])).toBe(true);
    expect(sorted[0]).toBe(-Infinity);
  });

  it("makes a result in the memory of one handed back when it fits without wasting half, once per array", () => {
    const first = sortedCopy(Float64Array.from({ length: 10_000 }, () => random()));
    recycleSorted(first);
    recycleSorted(first); // twice: still one spare
    const values = Float64Array.from({ length: 8000 }, () => (random() - 0.5) * 1e9);
    const second = sortedCopy(values);
    expect(second.buffer).toBe(first.buffer);
    expectSameAsBuiltIn(values);
    // The spare was taken once: the next result is new memory.
    const third = sortedCopy(values);
    expect(third.buffer).not.toBe(first.buffer);
    expect(third).toEqual(second);
    // A spare more than twice the size needed stays a spare; a short one is not used.
    const spare = sortedCopy(Float64Array.from({ length: 20_000 }, () => random()));
    recycleSorted(spare);
    expect(sortedCopy(values).buffer).not.toBe(spare.buffer);
    expect(sortedCopy(Float64Array.from({ length: 25_000 }, () => random())).buffer).not.toBe(spare.buffer);
    const fits = Float64Array.from({ length: 12_000 }, () => random() - 0.5);
    const sorted = sortedCopy(fits);
    expect(sorted.buffer).toBe(spare.buffer);
    expect(sorted).toEqual(fits.slice().sort());
  });
});
