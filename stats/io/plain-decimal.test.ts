// scanPlainDecimal is CSV's one-pass shortcut for the common cell; it must agree with the
// general classifier (classifyNumberBytes + numberFromBytes) on every cell it accepts, and
// hand every other cell back (-1) so the general path decides.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyNumberBytes, numberFromBytes, plainClass, plainValue, scanPlainDecimal } from "./text-values.ts";

const encoder = new TextEncoder();

/** Cells near the plain grammar: signs, zeros, dots, exponents, spaces, long digit runs. */
const cell = fc
  .array(fc.constantFrom("0", "0", "1", "5", "9", "-", "+", ".", "e", " ", "x", "00", "000000", "1234567"), { maxLength: 8 })
  .map((parts) => parts.join(""));

function general(bytes: Uint8Array, start: number, stop: number): { kind: number; value: number } {
  const kind = classifyNumberBytes(bytes, start, stop);
  return { kind, value: kind > 0 ? numberFromBytes(bytes, kind, start, stop) : Number.NaN };
}

describe("scanPlainDecimal", () => {
  it("agrees with the general classifier on every cell it accepts, and finds the cell's end", () => {
    fc.assert(
      fc.property(cell, fc.boolean(), (text, followedByField) => {
        const line = followedByField ? `${text},7` : text;
        const bytes = encoder.encode(line);
        const end = scanPlainDecimal(bytes, 0, bytes.length);
        if (end < 0) return;
        expect(end).toBe(text.length);
        const expected = general(bytes, 0, end);
        expect({ kind: plainClass(), value: plainValue() }).toEqual(expected);
        expect(Object.is(plainValue(), expected.value)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ["1.5", 1.5, 1],
    ["-0.25", -0.25, 1],
    ["1.50", 1.5, 2],
    ["007", 7, 2],
    ["-0", -0, 2],
    ["0", 0, 1],
    ["0.0000001", 1e-7, 2],
    ["123456789012345", 123456789012345, 1],
  ])("reads %j as %d, class %d", (text, value, kind) => {
    const bytes = encoder.encode(`${text},x`);
    expect(scanPlainDecimal(bytes, 0, bytes.length)).toBe(text.length);
    expect(Object.is(plainValue(), value)).toBe(true);
    expect(plainClass()).toBe(kind);
  });

  it.each(["", "-", ".5", "1.", "1e5", "+1", " 1", "1 ", "1234567890123456", "abc", "1x"])("hands %j back to the general path", (text) => {
    const bytes = encoder.encode(text);
    expect(scanPlainDecimal(bytes, 0, bytes.length)).toBe(-1);
  });
});
