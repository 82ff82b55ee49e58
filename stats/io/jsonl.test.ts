import { describe, it, expect } from "vitest";
import { JsonLinesReader, parseJsonLines } from "./jsonl.ts";
import { inferKind } from "./dataset.ts";

describe("parseJsonLines", () => {
  it("reads one object per line, with the union of keys as columns", () => {
    const data = parseJsonLines('{"a":1,"b":"x"}\n{"a":2.5}\n\n{"b":"y","c":true}\n');
    expect(data.columns).toEqual(["a", "b", "c"]);
    expect(data.rows).toBe(3);
    const a = data.get("a");
    expect(a.slice(0, 2)).toEqual([1, 2.5]);
    expect(Number.isNaN(a[2])).toBe(true);
    expect(data.get("b")).toEqual(["x", null, "y"]);
    expect(data.get("c")).toEqual([null, null, true]);
    expect(inferKind(a)).toBe("numerical");
    expect(inferKind(data.get("c"))).toBe("categorical");
  });

  it("turns nested values into their JSON text and null into missing", () => {
    const data = parseJsonLines('{"t":[1,2],"u":null}\r\n{"t":{"k":1},"u":3}\r\n');
    expect(data.get("t")).toEqual(["[1,2]", '{"k":1}']);
    expect(data.get("u").slice(1)).toEqual([3]);
  });

  it("names the bad line", () => {
    expect(() => parseJsonLines('{"a":1}\n\n{"a":\n')).toThrow(/^line 3: not valid JSON/);
    expect(() => parseJsonLines('{"a":1}\n[1]\n')).toThrow("line 2: expected a JSON object, found an array");
  });

  it("gives the same result whatever the chunk boundaries", () => {
    const text = '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n{"a":3}';
    const reader = new JsonLinesReader();
    for (const char of text) reader.push(char);
    const data = reader.finish();
    expect(data.get("b")).toEqual(["x", "y", null]);
    expect(data.rows).toBe(3);
  });
});
