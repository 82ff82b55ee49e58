import { describe, expect, it } from "vitest";
import { decodeBatch, encodeBatch } from "./batch-codec.ts";
import type { Column } from "../../stats/streaming/columns.ts";
import type { FeatureSpec, MonitorEvent } from "./calls.ts";
import { columnsFromEvents, EventColumnsBuilder } from "./event-columns.ts";

const FEATURES: FeatureSpec[] = [
  { name: "amount", kind: "numerical" },
  { name: "region", kind: "categorical" },
  { name: "flag", kind: "categorical" },
];

const events: MonitorEvent[] = [
  { prediction_id: "a", timestamp: 1_700_000_000_123, features: { amount: 12.5, region: "north", flag: true }, prediction: 1, score: 0.9, latency_ms: 3.25 },
  { prediction_id: "b", timestamp: 1_700_000_000_456, features: { amount: null, region: "", flag: false }, prediction: "no", segment: { tier: "gold" } },
  { prediction_id: "c", timestamp: 1_700_000_001_000, features: { amount: -0, region: 7, flag: true }, prediction: false, score: { a: 0.25, b: 0.75 } },
];

/** Two events (x numerical, c categorical) as the version 1 ("VGB1") encoder wrote them. */
const V1_GOLDEN =
  "VkdCMaMAAAB7Im4iOjIsImZlYXR1cmVzIjpbeyJuYW1lIjoieCIsImtpbmQiOiJudW1lcmljYWwifSx7Im5hbWUiOiJjIiwia2luZCI6ImNhdGVnb3JpY2FsIiwiZGljdGlvbmFyeSI6WyJhIiwiYiJdfV0sImlkcyI6WyJwMSIsInAyIl0sInByZWRpY3Rpb25zIjpbMSwwXSwibGF0ZW5jeSI6ZmFsc2V9AAAAAAAAAIBW/rx4QgAAJmX+vHhCAAAAAAAA+D8AAAAAAAAAQAAAAAABAAAA";

/** Two events (a score and a subject on the first) as the version 2 ("VGB2") encoder wrote them: every score in the header. */
const V2_GOLDEN =
  "VkdCMs8AAAB7Im4iOjIsImZlYXR1cmVzIjpbeyJuYW1lIjoieCIsImtpbmQiOiJudW1lcmljYWwifSx7Im5hbWUiOiJjIiwia2luZCI6ImNhdGVnb3JpY2FsIiwiZGljdGlvbmFyeSI6WyJhIiwiYiJdfV0sImlkcyI6WyJwMSIsInAyIl0sInByZWRpY3Rpb25zIjpbMSwwXSwibGF0ZW5jeSI6ZmFsc2UsInNjb3JlcyI6WzAuMjUsbnVsbF0sInN1YmplY3RzIjpbInMxIixudWxsXX0AAACAVv68eEIAACZl/rx4QgAAAAAAAPg/AAAAAAAAAEAAAAAAAQAAAA==";

const headerText = (blob: Uint8Array) => new TextDecoder().decode(blob.subarray(8, 8 + new DataView(blob.buffer, blob.byteOffset).getUint32(4, true)));

describe("batch codec", () => {
  it("round-trips projected embedding columns after the features, missing rows as NaN", () => {
    const identity = { k: 3, project: (x: ArrayLike<number>, out: Float32Array, at: number) => { for (let i = 0; i < 3; i++) out[at + i] = x[i]!; } };
    const builder = new EventColumnsBuilder(FEATURES.slice(0, 1), 3, [{ name: "vec", dimension: 3, projection: identity }]);
    const rows: (number[] | null)[] = [[0.5, -1, 2], null, [1e-3, 0, 7.25]];
    rows.forEach((v, r) => {
      builder.begin(`e${r}`, 1_700_000_000_000 + r);
      builder.number(0, r);
      builder.embedding(0, v);
      builder.prediction(1);
      builder.commit();
    });
    const back = decodeBatch(encodeBatch(builder.finish()), FEATURES.slice(0, 1));
    expect(back.embeddings).toHaveLength(1);
    const e = back.embeddings![0]!;
    expect({ name: e.name, dimension: e.dimension, k: e.k }).toEqual({ name: "vec", dimension: 3, k: 3 });
    expect(Array.from(e.values)).toEqual([0.5, -1, 2, NaN, NaN, NaN, Math.fround(1e-3), 0, 7.25]);
    expect(back.features[0]!.kind === "numerical" && Array.from(back.features[0]!.values)).toEqual([0, 1, 2]);
    expect(decodeBatch(encodeBatch(columnsFromEvents(events, FEATURES)), FEATURES).embeddings).toBeUndefined();
  });

  it("round-trips every column, missing cells and optional fields", () => {
    const batch = columnsFromEvents(events, FEATURES);
    const back = decodeBatch(encodeBatch(batch).buffer as ArrayBuffer, FEATURES);
    expect(back.length).toBe(3);
    expect(back.ids).toEqual(["a", "b", "c"]);
    expect([...back.timestamps]).toEqual([1_700_000_000_123, 1_700_000_000_456, 1_700_000_001_000]);
    expect(back.predictions).toEqual([1, "no", false]);
    expect(back.scores).toEqual([0.9, null, { a: 0.25, b: 0.75 }]);
    expect([...back.latency!]).toEqual([3.25, Number.NaN, Number.NaN]);
    expect(back.segments).toEqual([null, { tier: "gold" }, null]);
    const [amount, region, flag] = back.features as [Column, Column, Column];
    expect(amount.kind === "numerical" && [...amount.values]).toEqual([12.5, Number.NaN, -0]);
    // "" is a missing category; numbers and booleans become their category strings.
    expect(region.kind === "categorical" && [...region.codes].map((c) => (c < 0 ? null : region.dictionary[c]))).toEqual(["north", null, "7"]);
    expect(flag.kind === "categorical" && flag.dictionary).toEqual(["true", "false"]);
  });

  it("leaves latency, scores and segments out when no row has them", () => {
    const bare = events.map(({ prediction_id, timestamp, features, prediction }) => ({ prediction_id, timestamp, features, prediction }));
    const back = decodeBatch(encodeBatch(columnsFromEvents(bare, FEATURES)), FEATURES);
    expect(back.latency).toBeNull();
    expect(back.scores).toBeNull();
    expect(back.segments).toBeNull();
  });

  it("reads a blob that does not start on an 8-byte boundary", () => {
    const blob = encodeBatch(columnsFromEvents(events, FEATURES));
    const shifted = new Uint8Array(blob.length + 3);
    shifted.set(blob, 3);
    expect(decodeBatch(shifted.subarray(3), FEATURES).ids).toEqual(["a", "b", "c"]);
  });

  it("round-trips subject ids, and leaves them out when no row names one", () => {
    const withSubjects = events.map((e, i) => (i === 1 ? e : { ...e, subject_id: `person-${i}` }));
    const blob = encodeBatch(columnsFromEvents(withSubjects, FEATURES));
    expect(new TextDecoder().decode(blob.subarray(0, 4))).toBe("VGB3");
    expect(decodeBatch(blob, FEATURES).subjects).toEqual(["person-0", null, "person-2"]);
    expect(decodeBatch(encodeBatch(columnsFromEvents(events, FEATURES)), FEATURES).subjects).toBeUndefined();
  });

  it("still reads version 1 blobs, stored before subject ids (golden bytes written by the version 1 encoder)", () => {
    const v1 = Uint8Array.from(atob(V1_GOLDEN), (ch) => ch.charCodeAt(0));
    const back = decodeBatch(v1, [{ name: "x", kind: "numerical" }, { name: "c", kind: "categorical" }]);
    expect(back.ids).toEqual(["p1", "p2"]);
    expect([...back.timestamps]).toEqual([1_700_000_000_000, 1_700_000_060_000]);
    expect(back.predictions).toEqual([1, 0]);
    const [x, c] = back.features as [Column, Column];
    expect(x.kind === "numerical" && [...x.values]).toEqual([1.5, 2]);
    expect(c.kind === "categorical" && [...c.codes].map((k) => c.dictionary[k])).toEqual(["a", "b"]);
    expect(back.subjects).toBeUndefined();
  });

  it("carries probability scores as a column, not header text, and class probabilities in the header", () => {
    const probabilities = events.map((e, i) => ({ ...e, score: [0.9, undefined, 0][i] }));
    const blob = encodeBatch(columnsFromEvents(probabilities, FEATURES));
    expect(headerText(blob)).not.toContain("scores");
    expect(headerText(blob)).toContain('"scoreColumn":true');
    const back = decodeBatch(blob, FEATURES);
    expect(back.scores).toEqual([0.9, null, 0]);
    // The latency and feature sections after the score column are where they were written.
    expect([...back.latency!]).toEqual([3.25, Number.NaN, Number.NaN]);
    const [amount] = back.features as [Column];
    expect(amount.kind === "numerical" && [...amount.values]).toEqual([12.5, Number.NaN, -0]);
    // One class-probability object keeps every score in the header.
    const mixed = encodeBatch(columnsFromEvents(events, FEATURES));
    expect(headerText(mixed)).toContain('"scores":[0.9,null,{"a":0.25,"b":0.75}]');
    expect(headerText(mixed)).not.toContain("scoreColumn");
  });

  it("still reads version 2 blobs, stored before the score column (golden bytes written by the version 2 encoder)", () => {
    const v2 = Uint8Array.from(atob(V2_GOLDEN), (ch) => ch.charCodeAt(0));
    const back = decodeBatch(v2, [{ name: "x", kind: "numerical" }, { name: "c", kind: "categorical" }]);
    expect(back.ids).toEqual(["p1", "p2"]);
    expect(back.scores).toEqual([0.25, null]);
    expect(back.subjects).toEqual(["s1", null]);
    const [x, c] = back.features as [Column, Column];
    expect(x.kind === "numerical" && [...x.values]).toEqual([1.5, 2]);
    expect(c.kind === "categorical" && [...c.codes].map((k) => c.dictionary[k])).toEqual(["a", "b"]);
  });

  it("still reads batches stored as JSON event arrays", () => {
    const back = decodeBatch(JSON.stringify(events), FEATURES);
    expect(back.ids).toEqual(["a", "b", "c"]);
    expect(back.features[1]!.kind).toBe("categorical");
  });

  it("rejects bytes that are not a batch, and truncated ones", () => {
    expect(() => decodeBatch(new Uint8Array(16), FEATURES)).toThrow(/neither a VGB3, VGB2 or VGB1 blob nor JSON/);
    const blob = encodeBatch(columnsFromEvents(events, FEATURES));
    expect(() => decodeBatch(blob.slice(0, blob.length - 8), FEATURES)).toThrow(/truncated/);
  });

  it("a row abandoned by the validator is overwritten by the next one", () => {
    const builder = new EventColumnsBuilder(FEATURES, 2);
    builder.begin("bad", 1);
    builder.prediction(0);
    builder.number(0, 99);
    builder.score(0.5);
    builder.begin("good", 2); // the bad row was never committed
    builder.prediction(1);
    builder.number(0, 1);
    builder.label(1, "x");
    builder.label(2, null);
    builder.commit();
    const batch = builder.finish();
    expect(batch.length).toBe(1);
    expect(batch.ids).toEqual(["good"]);
    expect(batch.scores).toEqual([null]);
  });
});
