// Numbers JSON.parse overflows to ±Infinity are rejected per record, naming the field,
// instead of silently turning into a missing value when the batch is re-serialized.
import { describe, expect, it } from "vitest";
import type { Column } from "../../stats/streaming/columns.ts";
import type { FeatureSpec } from "../registry/feature-schema.ts";
import { validateEvents } from "./validate-events.ts";

const schema: FeatureSpec[] = [{ name: "a", kind: "numerical", dtype: "float" }, { name: "b", kind: "categorical", dtype: "string" }];

describe("validateEvents: overflowing numbers", () => {
  it("rejects ±Infinity features and latencies from literals like 1e400, keeps the good events", () => {
    const items = JSON.parse(`[
      {"prediction_id":"ok","features":{"a":1e300,"b":"x"},"prediction":1},
      {"prediction_id":"big","features":{"a":1e400,"b":"x"},"prediction":1},
      {"prediction_id":"neg","features":{"a":-123456789012345678901234567890e300,"b":"x"},"prediction":1},
      {"prediction_id":"lat","features":{"a":1,"b":"x"},"prediction":1,"latency_ms":1e999}
    ]`) as unknown[];
    const { batch, rejected } = validateEvents(items, new Map(), schema, Date.now());
    expect(batch.ids).toEqual(["ok"]);
    expect(rejected).toEqual([
      { index: 1, field: "features.a", error: "number out of range (beyond ±1.8e308)" },
      { index: 2, field: "features.a", error: "number out of range (beyond ±1.8e308)" },
      { index: 3, field: "latency_ms", error: "number out of range (beyond 1.8e308)" },
    ]);
  });
});

describe("validateEvents: columns", () => {
  it("writes accepted events into columns and leaves no trace of a rejected one", () => {
    const items = [
      { prediction_id: "1", timestamp: 1_000, features: { a: 1.5, b: "x" }, prediction: 1, score: 0.2, latency_ms: 4 },
      // Fails on its prediction after its features were written: the next event overwrites them.
      { prediction_id: "2", features: { a: 99, b: "leak" }, prediction: { no: 1 }, score: 0.9 },
      { prediction_id: "3", timestamp: 2_000, features: { a: null, b: 7 }, prediction: "no" },
      { prediction_id: "4", timestamp: 3_000, features: { b: "" }, prediction: true },
    ];
    const { batch, rejected } = validateEvents(items, new Map(), schema, 5_000);
    expect(rejected).toEqual([{ index: 1, field: "prediction", error: "expected a string, number or boolean, got object" }]);
    expect(batch.ids).toEqual(["1", "3", "4"]);
    expect([...batch.timestamps]).toEqual([1_000, 2_000, 3_000]);
    expect(batch.predictions).toEqual([1, "no", true]);
    expect(batch.scores).toEqual([0.2, null, null]);
    expect([...batch.latency!]).toEqual([4, Number.NaN, Number.NaN]);
    const [a, b] = batch.features as [Column, Column];
    expect(a.kind === "numerical" && [...a.values]).toEqual([1.5, Number.NaN, Number.NaN]);
    // Categories as their labels; "" counts as missing, as in the windows.
    expect(b.kind === "categorical" && [...b.codes].map((c) => b.dictionary[c] ?? null)).toEqual(["x", "7", null]);
  });

  it("names the first bad field in schema order, features before the prediction", () => {
    const { rejected } = validateEvents([{ prediction_id: "1", features: { a: "nope", b: "x" }, prediction: {} }], new Map(), schema, 0);
    expect(rejected).toEqual([{ index: 0, field: "features.a", error: "expected a number, got string" }]);
  });
});

describe("validateEvents: feature-count mismatches", () => {
  it("records keys an event lacked and keys outside the schema, only for accepted events", () => {
    const items = JSON.parse(`[
      {"prediction_id":"1","features":{"a":1,"b":"x"},"prediction":1},
      {"prediction_id":"2","features":{"a":2,"promo":"yes","__proto__":{"polluted":true}},"prediction":1},
      {"prediction_id":"3","features":{"b":"y","zz":1},"prediction":{"bad":1}},
      {"prediction_id":"4","features":{"b":"y","promo":"no"},"prediction":0}
    ]`) as unknown[];
    const { batch } = validateEvents(items, new Map(), schema, 0);
    expect(batch.ids).toEqual(["1", "2", "4"]);
    // Rows are batch rows: event 2 is row 1, event 4 row 2 (event 3 was rejected).
    expect(batch.absentRows?.map((r) => (r === null ? null : [...r]))).toEqual([[2], [1]]);
    expect([...batch.unknownRows!]).toEqual([1, 1, 2]);
    expect(batch.unknownKeys).toEqual(["promo", "__proto__", "promo"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
