// cutCsvFile reads the file in 4 MiB chunks, so a quoted field that spans the middle of a
// large file (and a chunk edge) must still push the cut past its record.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cutCsvFile, readCsvHeader, sharedCsvColumns } from "./csv-slices.ts";

const directory = mkdtempSync(join(tmpdir(), "vigil-slices-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("cutCsvFile", () => {
  it("cuts after a quoted field that spans the middle of the file and a 4 MiB chunk edge", async () => {
    const before = "1,short\n".repeat(200_000); // 1.6 MB
    // 6 MB of quoted text with line breaks and doubled quotes, from before the middle to past the first chunk.
    const note = `"${'line, ""q""\n'.repeat(500_000)}"`;
    const after = "3,tail\n".repeat(100_000);
    const text = `\uFEFFid,"note, quoted"\n${before}2,${note}\n${after}`;
    const path = join(directory, "spanning.csv");
    writeFileSync(path, text);
    const bytes = Buffer.byteLength(text);
    const recordAfter = bytes - Buffer.byteLength(after);
    expect(Math.floor(bytes / 2)).toBeLessThan(recordAfter);
    expect(await cutCsvFile(path, 2)).toEqual([
      { start: 0, end: recordAfter },
      { start: recordAfter, end: bytes },
    ]);
    expect(await readCsvHeader(path)).toEqual(["id", "note, quoted"]);
  });

  it("gives empty slices at the end when there are fewer records than slices", async () => {
    const path = join(directory, "tiny.csv");
    writeFileSync(path, 'a,b\n1,"x\ny"\n');
    const slices = await cutCsvFile(path, 4);
    expect(slices[0]).toEqual({ start: 0, end: 4 });
    expect(slices.slice(1)).toEqual([{ start: 4, end: 12 }, { start: 12, end: 12 }, { start: 12, end: 12 }]);
    expect(slices.every((slice, index) => index === 0 || slice.start === slices[index - 1]!.end)).toBe(true);
  });
});

describe("sharedCsvColumns", () => {
  it("lists the header names both files share, in the first file's order, or undefined", async () => {
    const write = (name: string, text: string) => {
      const path = join(directory, name);
      writeFileSync(path, text);
      return path;
    };
    const reference = write("ref.csv", '\uFEFFid,only_ref,"a,b",x\n1,2,3,4\n');
    const current = write("cur.csv", 'x,"a,b",id,only_cur\n1,2,3,4\n');
    expect(await sharedCsvColumns(reference, current)).toEqual(["id", "a,b", "x"]);
    expect(await sharedCsvColumns(reference, write("none.csv", "p,q\n1,2\n"))).toBeUndefined();
    expect(await sharedCsvColumns(reference, write("multi.csv", '"a\nb",x\n1,2\n'))).toBeUndefined();
    expect(await sharedCsvColumns(reference, write("cur.jsonl", '{"x":1}\n'))).toBeUndefined();
  });
});
