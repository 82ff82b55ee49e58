import { describe, it, expect } from "vitest";
import { CANONICAL_NUMBER, classifyNumberBytes, classifyNumberText, NOT_A_NUMBER, numberFromBytes, numberFromText, parseNumberText } from "./text-values.ts";
import { mulberry32 } from "../testing/rng.ts";

describe("parseNumberText", () => {
  it.each([
    ["1", 1],
    ["1e999999999999", Infinity],
    ["-0", -0],
    ["-2.5", -2.5],
    ["+3", 3],
    [" 4 ", 4],
    ["1.", 1],
    [".5", 0.5],
    ["1e5", 1e5],
    ["-1.5E-3", -0.0015],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
    ["+INF", Infinity],
  ])("reads %j as %d", (text, value) => {
    expect(parseNumberText(text)).toBe(value);
  });

  it.each(["", " ", ".", "-", "1e", "e5", "0x10", "1_000", "1,000", "1.2.3", "abc", "NaN", "1.#IND", "infinit", "1 2"])(
    "rejects %j",
    (text) => {
      expect(parseNumberText(text)).toBeUndefined();
    },
  );
});

describe("classifyNumberText", () => {
  // The canonical class is a promise that String(Number(text)) === text; test it on
  // many spellings, including every kind the classifier treats specially.
  it("calls a spelling canonical only when String() gives it back", () => {
    const random = mulberry32(7);
    const texts = ["0", "-0", "10", "007", "0.5", "0.50", "-0.000001", "0.0000001", "123456789012345", "1234567890123456", "1e21"];
    // Exponents at and past the exact-power-of-ten shortcut, and long mantissas.
    texts.push("1e22", "1e23", "9.999999999999999e22", "1e-22", "1.5e-23", "123456789012345678", "0.1234567890123456789", "1e400", "1e-400");
    for (let index = 0; index < 3000; index++) {
      const magnitude = 10 ** Math.floor(random() * 30 - 12);
      const value = (random() - 0.5) * magnitude;
      texts.push(String(value), value.toFixed(Math.floor(random() * 8)), value.toPrecision(1 + Math.floor(random() * 16)));
    }
    let canonical = 0;
    for (const text of texts) {
      const kind = classifyNumberText(text);
      expect(kind).not.toBe(NOT_A_NUMBER);
      expect(Object.is(numberFromText(text, kind), Number(text)), text).toBe(true);
      if (kind === CANONICAL_NUMBER) {
        canonical++;
        expect(String(Number(text)), text).toBe(text);
      }
    }
    expect(canonical).toBeGreaterThan(texts.length / 5);
  });
});

describe("classifyNumberBytes", () => {
  // CSV cells are classified as UTF-8 bytes, other text as strings: both must agree.
  it("gives the class and value classifyNumberText gives, for a cell inside a larger buffer", () => {
    const texts = ["1", "-0", "+3", " 4 ", "1.50", ".5", "1e5", "-1.5E-3", "1e", "inf", " -Infinity  ", "INF\u00a0", "infinit", "İnf", "west", "ünf", "1,000", "0x10", "", "9".repeat(20)];
    const random = mulberry32(5);
    for (let index = 0; index < 500; index++) texts.push(((random() - 0.5) * 10 ** (random() * 20 - 10)).toFixed(Math.floor(random() * 6)));
    for (const text of texts) {
      const kind = classifyNumberText(text);
      const bytes = new TextEncoder().encode(`x,${text},y`);
      const stop = bytes.length - 2;
      expect(classifyNumberBytes(bytes, 2, stop), text).toBe(kind);
      if (kind !== NOT_A_NUMBER) {
        expect(Object.is(numberFromBytes(bytes, kind, 2, stop), numberFromText(text, kind)), text).toBe(true);
      }
    }
  });
});
