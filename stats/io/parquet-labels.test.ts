import { describe, expect, it } from "vitest";
import { isCodedLabels } from "../drift/coded-labels.ts";
import type { RawValue } from "../drift/types.ts";
import { MAX_LABELS } from "./label-codes.ts";
import { type Dictionary, LabelStorage } from "./parquet-labels.ts";

function valuesOf(storage: LabelStorage): RawValue[] {
  const column = storage.column();
  return isCodedLabels(column) ? Array.from(column.codes, (code) => column.labels[code] as string | null) : column;
}

describe("LabelStorage", () => {
  it("gives a dictionary's strings their codes once, across pages, with nulls as code 0", () => {
    const storage = new LabelStorage(6);
    const dictionary: Dictionary = { strings: ["b", "a"] };
    storage.setFromDictionary(0, 3, undefined, Int32Array.of(1, 0, 1), dictionary);
    // A page with a null in the middle: indices are the present rows' only.
    storage.setFromDictionary(3, 3, Int32Array.of(1, 0, 1), Int32Array.of(0, 0), dictionary);
    const column = storage.column();
    expect(isCodedLabels(column)).toBe(true);
    expect(valuesOf(storage)).toEqual(["a", "b", "a", "b", null, "b"]);
    expect(isCodedLabels(column) && column.labels).toEqual([null, "b", "a"]);
    expect(dictionary.codes).toEqual(Uint16Array.of(1, 2));
  });

  it("shares codes between a dictionary and PLAIN pages of later row groups", () => {
    const storage = new LabelStorage(5);
    storage.setFromDictionary(0, 2, undefined, Int32Array.of(0, 1), { strings: ["x", "y"] });
    storage.setFromTexts(2, 3, Int32Array.of(1, 0, 1), ["y", "z"]);
    expect(valuesOf(storage)).toEqual(["x", "y", "y", null, "z"]);
    const column = storage.column();
    expect(isCodedLabels(column) && column.labels).toEqual([null, "x", "y", "z"]);
  });

  it("keeps an empty string and 'NA' as strings, not as missing (Parquet has real nulls)", () => {
    const storage = new LabelStorage(3);
    storage.setFromTexts(0, 3, undefined, ["", "NA", ""]);
    expect(valuesOf(storage)).toEqual(["", "NA", ""]);
  });

  it("turns to one value per row past MAX_LABELS distinct strings, keeping every row", () => {
    const distinct = MAX_LABELS + 10;
    const strings = Array.from({ length: distinct }, (_, index) => `id-${index}`);
    const rows = distinct + 4;
    const storage = new LabelStorage(rows);
    storage.setFromTexts(0, 2, undefined, ["first", "id-3"]);
    storage.setFromDictionary(2, distinct, undefined, Int32Array.from(strings, (_, index) => index), { strings });
    storage.setFromTexts(2 + distinct, 2, Int32Array.of(0, 1), ["last"]);
    const column = storage.column();
    expect(Array.isArray(column)).toBe(true);
    expect(valuesOf(storage)).toEqual(["first", "id-3", ...strings, null, "last"]);
  });

  it("turns to values in the middle of a PLAIN page", () => {
    const texts = Array.from({ length: MAX_LABELS + 2 }, (_, index) => `t${index}`);
    const storage = new LabelStorage(texts.length);
    storage.setFromTexts(0, texts.length, undefined, texts);
    expect(Array.isArray(storage.column())).toBe(true);
    expect(valuesOf(storage)).toEqual(texts);
  });
});
