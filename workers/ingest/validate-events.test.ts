// Numbers JSON.parse overflows to ±Infinity are rejected per record, naming the field,
// instead of silently turning into a missing value when the batch is re-serialized.
import { describe, expect, it } from "vitest";
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
    const { events, rejected } = validateEvents(items, new Map(), schema, Date.now());
    expect(events.map((e) => e.prediction_id)).toEqual(["ok"]);
    expect(rejected).toEqual([
      { index: 1, field: "features.a", error: "number out of range (beyond ±1.8e308)" },
      { index: 2, field: "features.a", error: "number out of range (beyond ±1.8e308)" },
      { index: 3, field: "latency_ms", error: "number out of range (beyond 1.8e308)" },
    ]);
  });
});
