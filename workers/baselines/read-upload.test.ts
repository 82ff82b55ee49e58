import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { readStreamedDataset, uploadFormat } from "./read-upload.ts";

/** A PUT whose body arrives in the given chunks. */
function request(chunks: string[], headers: Record<string, string> = {}): Request {
  const encoder = new TextEncoder();
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[at++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
  });
  return new Request("http://vigil.test/", { method: "PUT", body, headers });
}

const keepAll = () => undefined;

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("uploadFormat", () => {
  it.each([
    ["text/csv", "csv"],
    ["Text/CSV; charset=utf-8", "csv"],
    ["application/csv", "csv"],
    ["application/x-ndjson", "jsonl"],
    ["application/jsonl", "jsonl"],
    ["application/json", "json"],
    [undefined, "json"],
  ])("%s is %s", (type, format) => {
    expect(uploadFormat(type)).toBe(format);
  });

  it("refuses other types with 415 listing the accepted ones", () => {
    expect(() => uploadFormat("text/plain")).toThrowError(expect.objectContaining({ status: 415, details: expect.objectContaining({ accepted: expect.arrayContaining(["text/csv"]) }) }));
  });
});

describe("readStreamedDataset", () => {
  it("reads a CSV whose header and records are split across chunks, keeping only the wanted columns", async () => {
    const seen: string[][] = [];
    const keep = (header: readonly string[]) => {
      seen.push([...header]);
      return ["b", "c"];
    };
    const { dataset, columns } = await readStreamedDataset(request(["i", "d,b", ',"c"\n1,2', ",x\n", '3,,"y\n', 'z"\n'], {}), "csv", keep);
    expect(seen).toEqual([["id", "b", "c"]]);
    expect(columns).toEqual(["id", "b", "c"]);
    expect(dataset.columns).toEqual(["b", "c"]);
    expect(dataset.rows).toBe(2);
    expect(dataset.get("b")).toEqual([2, Number.NaN]);
    expect(dataset.get("c")).toEqual(["x", "y\nz"]);
  });

  it("reads CR-only line endings, filtering columns from the header on", async () => {
    const { dataset, columns } = await readStreamedDataset(request(["id,a\r1,", "2\r3,4\r"]), "csv", () => ["a"]);
    expect(columns).toEqual(["id", "a"]);
    expect(dataset.columns).toEqual(["a"]);
    expect(dataset.get("a")).toEqual([2, 4]);
  });

  it("reads a header-only body with no line break", async () => {
    const { dataset } = await readStreamedDataset(request(["a,b"]), "csv", keepAll);
    expect(dataset.columns).toEqual(["a", "b"]);
    expect(dataset.rows).toBe(0);
  });

  it("stops at the header when keep refuses it", async () => {
    const refuse = () => {
      throw new ApiError(422, "no_schema_columns", "none");
    };
    expect((await rejection(readStreamedDataset(request(["a,b\n", "1,2\n"]), "csv", refuse))).status).toBe(422);
  });

  it("reads JSON Lines with a multi-byte character split across chunks", async () => {
    const bytes = new TextEncoder().encode('{"city":"Zürich"}\n{"city":"Köln"}\n');
    const split = bytes.indexOf(0xc3) + 1; // inside "ü"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, split));
        controller.enqueue(bytes.subarray(split));
        controller.close();
      },
    });
    const { dataset } = await readStreamedDataset(new Request("http://vigil.test/", { method: "PUT", body }), "jsonl", keepAll);
    expect(dataset.get("city")).toEqual(["Zürich", "Köln"]);
  });

  it("refuses JSON Lines that are not UTF-8", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]);
    const error = await rejection(readStreamedDataset(new Request("http://vigil.test/", { method: "PUT", body }), "jsonl", keepAll));
    expect(error).toMatchObject({ status: 400, message: "body is not valid UTF-8" });
  });

  it("cuts a body off at the limit with 413, declared or not", async () => {
    const limits = { wire: 64, inflated: 64 };
    const streamed = await rejection(readStreamedDataset(request(["a,b\n", "1,2\n".repeat(20)]), "csv", keepAll, limits));
    expect(streamed).toMatchObject({ status: 413, code: "payload_too_large" });
    const declared = await rejection(readStreamedDataset(request(["a\n1\n"], { "content-length": "65" }), "csv", keepAll, limits));
    expect(declared.message).toMatch(/body of 65 bytes exceeds 64 bytes/);
  });

  it("names the CSV row and line of a malformed record, past chunk boundaries", async () => {
    const error = await rejection(readStreamedDataset(request(["a,b\n1,2\n", "3,4\n5\n"]), "csv", keepAll));
    expect(error).toMatchObject({ status: 400, code: "malformed_dataset", message: "CSV: row 3 (line 4): expected 2 fields, found 1" });
  });
});
