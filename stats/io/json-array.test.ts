import { describe, it, expect } from "vitest";
import { parseJsonArray } from "./json-array.ts";

describe("parseJsonArray", () => {
  it("reads an array of objects", () => {
    const data = parseJsonArray('[{"x":1,"y":"a"},{"x":-2,"y":null},{"y":"b","z":false}]');
    expect(data.columns).toEqual(["x", "y", "z"]);
    expect(data.get("y")).toEqual(["a", null, "b"]);
    expect(data.get("z")).toEqual([null, null, false]);
    expect(data.get("x").slice(0, 2)).toEqual([1, -2]);
  });

  it("turns missing into null once a column holds strings", () => {
    expect(parseJsonArray('[{"k":null},{"k":"s"},{}]').get("k")).toEqual([null, "s", null]);
  });

  it("rejects what is not an array of objects, naming the element", () => {
    expect(() => parseJsonArray('{"x":1}')).toThrow("expected a JSON array of objects");
    expect(() => parseJsonArray('[{"x":1}, 3]')).toThrow("element 1: expected a JSON object, found a number");
    expect(() => parseJsonArray("[{")).toThrow(/^not valid JSON/);
  });
});
