import { describe, it, expect } from "vitest";
import { CsvReader, parseCsv } from "./csv.ts";
import { DatasetError, inferKind } from "./dataset.ts";

function readInChunks(text: string, size: number) {
  const reader = new CsvReader();
  for (let start = 0; start < text.length; start += size) reader.push(text.slice(start, start + size));
  return reader.finish();
}

describe("parseCsv", () => {
  it("reads a header row and typed columns", () => {
    const data = parseCsv("age,city\n31,Oslo\n42,Lima\n");
    expect(data.columns).toEqual(["age", "city"]);
    expect(data.rows).toBe(2);
    expect(data.get("age")).toEqual([31, 42]);
    expect(data.get("city")).toEqual(["Oslo", "Lima"]);
    expect(inferKind(data.get("age"))).toBe("numerical");
    expect(inferKind(data.get("city"))).toBe("categorical");
  });

  it("handles quoted fields with commas, doubled quotes and line breaks", () => {
    const data = parseCsv('id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n');
    expect(data.get("note")).toEqual(["a, b", 'say "hi"', "two\nlines", null]);
  });

  it("accepts CRLF, LF and CR line endings and a byte order mark", () => {
    for (const text of ["\uFEFFx,y\r\n1,a\r\n2,b\r\n", "x,y\n1,a\n2,b", "x,y\r1,a\r2,b\r"]) {
      const data = parseCsv(text);
      expect(data.columns).toEqual(["x", "y"]);
      expect(data.get("x")).toEqual([1, 2]);
      expect(data.get("y")).toEqual(["a", "b"]);
    }
  });

  it("treats empty fields and pandas' NA tokens as missing", () => {
    const data = parseCsv("n,c\n1,a\n,\nNaN,NA\n4,null\n");
    const n = data.get("n");
    expect(n[0]).toBe(1);
    expect(Number.isNaN(n[1])).toBe(true);
    expect(Number.isNaN(n[2])).toBe(true);
    expect(n[3]).toBe(4);
    expect(data.get("c")).toEqual(["a", null, null, null]);
  });

  it("reads inf spellings as infinite numbers, keeping the column numerical", () => {
    const data = parseCsv("v\n1\ninf\n-Infinity\n+INF\n");
    expect(data.get("v")).toEqual([1, Infinity, -Infinity, Infinity]);
    expect(inferKind(data.get("v"))).toBe("numerical");
  });

  it("reads `labels` columns as text exactly as written, quoted or not; missing tokens stay missing", () => {
    const text = 'zip,amount\n02134,1.50\n"00501",2\n2134,NA\n,3\nNA,4\n';
    const data = parseCsv(text, { labels: ["zip"] });
    expect(data.get("zip")).toEqual(["02134", "00501", "2134", null, null]);
    expect(inferKind(data.get("zip"))).toBe("categorical");
    // Other columns are still read as numbers.
    expect(data.numbers("amount")).toEqual(Float64Array.of(1.5, 2, Number.NaN, 3, 4));
    // The same bytes in chunks split mid-cell give the same labels.
    const reader = new CsvReader({ labels: ["zip"] });
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += 3) reader.pushBytes(bytes.subarray(i, i + 3));
    expect(reader.finish().get("zip")).toEqual(["02134", "00501", "2134", null, null]);
  });

  it("keeps the original spelling when a column turns categorical late", () => {
    const data = parseCsv("code\n007\n1.50\n1e-05\n12\nABC\n\n");
    expect(data.get("code")).toEqual(["007", "1.50", "1e-05", "12", "ABC"]);
    expect(inferKind(data.get("code"))).toBe("categorical");
  });

  it("keeps values in order across storage blocks, numeric or turned categorical", () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => (index % 997 === 0 ? "NA" : `${index}.50`));
    const numeric = parseCsv(`v\n${rows.join("\n")}\n`).get("v");
    expect(numeric).toHaveLength(20_000);
    expect(numeric[19_999]).toBe(19_999.5);
    expect(Number.isNaN(numeric[997])).toBe(true);
    const mixed = parseCsv(`v\n${rows.join("\n")}\nlate\n`).get("v");
    expect(mixed).toHaveLength(20_001);
    expect(mixed[12_345]).toBe("12345.50");
    expect(mixed[997]).toBeNull();
    expect(mixed[20_000]).toBe("late");
  });

  it("does not read hexadecimal or thousands-separated text as numbers", () => {
    expect(parseCsv("v\n0x10\n").get("v")).toEqual(["0x10"]);
    expect(parseCsv('v\n"1,000"\n').get("v")).toEqual(["1,000"]);
    expect(parseCsv("v\n1_000\n").get("v")).toEqual(["1_000"]);
  });

  it("reads mixed line endings and single-column files", () => {
    const mixed = parseCsv("a,b\n1,2\r3,4\r\n5,6\n");
    expect(mixed.get("a")).toEqual([1, 3, 5]);
    expect(mixed.get("b")).toEqual([2, 4, 6]);
    const single = parseCsv(`v\n${Array.from({ length: 1000 }, (_, index) => index).join("\n")}\n`);
    expect(single.rows).toBe(1000);
    expect(single.get("v")[999]).toBe(999);
  });

  it("skips blank lines", () => {
    expect(parseCsv("a,b\n\n1,2\n\n\n3,4\n").get("b")).toEqual([2, 4]);
  });

  it("names unnamed header fields as pandas does", () => {
    expect(parseCsv(",x\n0,1\n").columns).toEqual(["Unnamed: 0", "x"]);
  });

  it("reports the data row and line of a row with the wrong field count", () => {
    expect(() => parseCsv('a,b\n1,2\n3,"x\ny"\n4,5,6\n')).toThrow(
      new DatasetError("row 3 (line 5): expected 2 fields, found 3"),
    );
    expect(() => parseCsv("a,b\n1\n")).toThrow("row 1 (line 2): expected 2 fields, found 1");
  });

  it("reports an unclosed quote, text after a closing quote, duplicates and an empty file", () => {
    expect(() => parseCsv('a\n"open\n')).toThrow("line 2: quoted field is never closed");
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow("line 2: unexpected text after a closing quote");
    expect(() => parseCsv("a,a\n1,2\n")).toThrow('duplicate column name "a"');
    expect(() => parseCsv("")).toThrow("no header row");
  });

  it("gives the same result whatever the chunk boundaries", () => {
    const text = 'id,text,v\r\n1,"multi\r\nline, ""quoted""",0.5\r\n2,plain,\r\n3,"",-1e3\r\n';
    const whole = parseCsv(text);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const chunked = readInChunks(text, size);
      expect(chunked.columns).toEqual(whole.columns);
      for (const name of whole.columns) expect(chunked.get(name)).toEqual(whole.get(name));
    }
    expect(whole.get("text")).toEqual(['multi\r\nline, "quoted"', "plain", null]);
  });

  it("counts lines inside quoted fields when reporting later errors (chunked)", () => {
    const text = 'a,b\r\n"x\r\ny",1\r\n2\r\n';
    expect(() => readInChunks(text, 3)).toThrow("row 2 (line 4)");
  });

  it("hands numeric columns over as packed doubles and labels as strings", () => {
    const data = parseCsv('n,q,c\n1.50,"2",a\nNA,"-inf",b\n,"",a\n inf ,7,\n');
    const n = data.numbers("n");
    expect(n).toBeInstanceOf(Float64Array);
    expect(Array.from(n ?? [])).toEqual([1.5, Number.NaN, Number.NaN, Infinity]);
    // Quoted fields are typed like bare ones.
    expect(Array.from(data.numbers("q") ?? [])).toEqual([2, -Infinity, Number.NaN, 7]);
    expect(data.numbers("c")).toBeUndefined();
    expect(data.get("c")).toEqual(["a", "b", "a", null]);
    expect(data.get("n")).toEqual([1.5, Number.NaN, Number.NaN, Infinity]);
  });

  it("reads byte chunks split anywhere, inside multi-byte characters and the byte order mark", () => {
    const text = '\uFEFFcity,v\r\nZürich,1\r\n"São ""Paulo""",2.5\r\n東京,\r\n😀,-3\r\n';
    const bytes = new TextEncoder().encode(text);
    const whole = parseCsv(text);
    expect(whole.columns).toEqual(["city", "v"]);
    expect(whole.get("city")).toEqual(["Zürich", 'São "Paulo"', "東京", "😀"]);
    for (const size of [1, 2, 3, 5]) {
      const reader = new CsvReader();
      for (let start = 0; start < bytes.length; start += size) reader.pushBytes(bytes.subarray(start, start + size));
      const chunked = reader.finish();
      expect(chunked.columns).toEqual(whole.columns);
      expect(chunked.get("city")).toEqual(whole.get("city"));
      expect(chunked.get("v")).toEqual(whole.get("v"));
    }
    // Text chunks split between the two halves of a surrogate pair.
    expect(readInChunks(text, 1).get("city")).toEqual(whole.get("city"));
  });

  it("gives the same labels past the interning limit, and keeps invalid UTF-8 as U+FFFD", () => {
    const labels = Array.from({ length: 5000 }, (_, index) => `id-${index % 4500}`);
    const data = parseCsv(`c\n${labels.join("\n")}\n`);
    expect(data.get("c")).toEqual(labels);
    const reader = new CsvReader();
    reader.pushBytes(Uint8Array.of(0x63, 0x0a, 0x61, 0xff, 0x0a));
    expect(reader.finish().get("c")).toEqual(["a\uFFFD"]);
  });

  it("reads very long fields, quoted or not", () => {
    const long = "x".repeat(300_000);
    const data = parseCsv(`a,b\n"${long}",${long}\n1,2\n`);
    expect(data.get("a")).toEqual([long, "1"]);
    expect(data.get("b")).toEqual([long, "2"]);
    const digits = `0.${"1".repeat(400)}`;
    expect(parseCsv(`v\n${digits}\n`).numbers("v")?.[0]).toBe(Number(digits));
  });

  it("reports progress as cells read", () => {
    const seen: number[] = [];
    const reader = new CsvReader({ onProgress: (cells) => seen.push(cells) });
    reader.push("a,b\n1,2\n3,");
    reader.push("4\n");
    reader.finish();
    expect(seen).toEqual([2, 4, 4]);
  });
});
