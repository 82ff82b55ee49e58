// Every number the CSV reader types must be the double Number() gives for the same text:
// the fast loop (csv-records.ts) reads plain decimals of up to 15 digits itself (Clinger's
// exact fast path) and leaves anything else (more digits, exponents, signs, spaces) to the
// general path, which falls back to Number(). Adversarial spellings and random digit
// strings go through both, bare (fast loop) and quoted (general path).

import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/rng.ts";
import { parseCsv } from "./csv.ts";

/** Reads `cells` as one column, bare and quoted, and checks each against Number(). */
function expectNumbers(cells: readonly string[]): void {
  for (const quote of ["", '"']) {
    const data = parseCsv(`v\n${cells.map((cell) => `${quote}${cell}${quote}`).join("\n")}\n`);
    const numbers = data.numbers("v");
    expect(numbers, `${quote}column typed as text`).toBeDefined();
    cells.forEach((cell, row) => {
      const expected = Number(cell);
      expect(Object.is(numbers![row], expected), `${quote}${cell}${quote}: ${numbers![row]} vs Number() ${expected}`).toBe(true);
    });
  }
}

describe("CSV numbers against Number()", () => {
  it("reads adversarial decimal spellings as Number() does", () => {
    expectNumbers([
      // Around 15 digits (the fast path's limit), 2^53 and the largest exact integers.
      "999999999999999", "999999999999999.9", "99999999999999.99", "100000000000000.0", "1000000000000000",
      "9007199254740991", "9007199254740992", "9007199254740993", "18014398509481985", "123456789012345678901234567890",
      // Halfway and famous cases, short and long.
      "0.1", "0.2", "0.3", "2.675", "1.005", "0.30000000000000004", "1.7976931348623157", "2.2250738585072014",
      "4.9406564584124654", "0.000000000000001", "0.0000000000000001", "0.1000000000000000055511151231257827",
      "8.589973e9", "123456.789012345", "12345678.9012345", "1.00000000000000011102230246251565",
      // Signs, zeros, leading zeros, missing integer or fraction digits.
      "-0", "0", "-0.0", "0.0", "-0.000", "007", "-007.50", "000000000000000000001.5", "00.1", "5.", ".5", "-.5", "+1", "+0.25",
      // Exponents of every size, including past the double range.
      "1e5", "1E5", "1e-5", "-1.5e-3", "1e22", "1e23", "1.5e300", "1e308", "1.7976931348623159e308", "1e309", "2e-324", "3e-324", "1e-400",
      "1e+2", "0e0", "-0e5",
      // Spaces around a number (pandas' grammar allows them, as Number() does).
      " 1", "1 ", "  -2.5  ",
    ]);
  });

  it("reads random digit strings of 1 to 22 digits, with and without fraction and sign, as Number() does", () => {
    const random = mulberry32(22);
    const cells: string[] = [];
    for (let index = 0; index < 20_000; index++) {
      const digits = 1 + Math.floor(random() * 22);
      let text = "";
      for (let digit = 0; digit < digits; digit++) text += String(Math.floor(random() * 10));
      const dot = Math.floor(random() * (digits + 2)) - 1; // -1: no fraction
      if (dot > 0 && dot < digits) text = `${text.slice(0, dot)}.${text.slice(dot)}`;
      if (random() < 0.3) text = `-${text}`;
      if (random() < 0.05) text += `e${Math.floor(random() * 60) - 30}`;
      cells.push(text);
    }
    expectNumbers(cells);
  });

  it("types what Number() reads differently (hex, separators, words) as text, never as a different number", () => {
    for (const cell of ["0x10", "1_000", "1,5", "Infinityx", "1e", "--1", "1..2", "0b1", "١٢"]) {
      const data = parseCsv(`v\n1\n"${cell}"\n`);
      expect(data.numbers("v"), cell).toBeUndefined();
      expect(data.get("v")[1], cell).toBe(cell);
    }
  });
});
