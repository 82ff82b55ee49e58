import { describe, it, expect } from "vitest";
import { readDataset } from "./read-dataset.ts";

describe("readDataset", () => {
  it("reads each text format from a string or UTF-8 bytes", async () => {
    const inputs = {
      csv: "k,v\nä,1\nb,2\n",
      jsonl: '{"k":"ä","v":1}\n{"k":"b","v":2}\n',
      json: '[{"k":"ä","v":1},{"k":"b","v":2}]',
    } as const;
    for (const [format, text] of Object.entries(inputs) as Array<[keyof typeof inputs, string]>) {
      for (const input of [text, new TextEncoder().encode(text)]) {
        const data = await readDataset(input, format);
        expect(data.get("k")).toEqual(["ä", "b"]);
        expect(data.get("v")).toEqual([1, 2]);
      }
    }
  });

  it("refuses Parquet given as a string", async () => {
    await expect(readDataset("PAR1", "parquet")).rejects.toThrow("Parquet input must be bytes");
  });
});
