// Per-event validation of POST /v1/ingest. Numbers JSON.parse overflows to ±Infinity are
// rejected per record, naming the field, instead of silently turning into a missing value
// when the batch is re-serialized. Below: each rule at its exact limit (the limit passes,
// one past it is refused), the field each refusal names ({ index, field }: the route's 422
// reads `events[3].features.x`), the order of the checks, and what accepted events leave
// in the columns.
import { describe, expect, it } from "vitest";
import { hashedProjection, seedOf } from "../../stats/embeddings/hashed-projection.ts";
import type { Column } from "../../stats/streaming/columns.ts";
import type { FeatureSpec } from "../registry/feature-schema.ts";
import { parseTime, subjectIdProblem, typeName, validateEvents } from "./validate-events.ts";

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

const NOW = 1_795_683_600_000;
/** The end of ECMAScript's date range, the latest time an event may carry (ECMA-262 §21.4.1.1). */
const LAST_TIME = 8.64e15;
const text = (n: number, c = "a") => c.repeat(n);
const ok = { prediction_id: "p", features: { a: 1, b: "x" }, prediction: 1 };
const one = (event: unknown, s: FeatureSpec[] = schema) => validateEvents([event], new Map(), s, NOW);
/** [field, error] of a one-event batch's rejection, or undefined when the event was accepted. */
function problem(event: unknown, s: FeatureSpec[] = schema): [string, string] | undefined {
  const { batch, rejected } = one(event, s);
  expect(batch.length + rejected.length).toBe(1);
  return rejected[0] && [rejected[0].field, rejected[0].error];
}

describe("validateEvents: the event, its id, time and subject", () => {
  it("refuses an event that is not an object", () => {
    expect(problem(null)).toEqual(["(event)", "expected an object, got null"]);
    expect(problem([ok])).toEqual(["(event)", "expected an object, got array"]);
    expect(problem("p")).toEqual(["(event)", "expected an object, got string"]);
  });

  it("requires a prediction_id of 1 to 256 characters, or a finite number read as its decimal string", () => {
    expect(problem({ ...ok, prediction_id: undefined })).toEqual(["prediction_id", "required"]);
    expect(problem({ ...ok, prediction_id: null })).toEqual(["prediction_id", "expected a non-empty string, got null"]);
    expect(problem({ ...ok, prediction_id: "" })).toEqual(["prediction_id", "expected a non-empty string, got string"]);
    expect(problem({ ...ok, prediction_id: true })).toEqual(["prediction_id", "expected a non-empty string, got boolean"]);
    expect(problem(JSON.parse('{"prediction_id":1e400,"features":{},"prediction":1}'))).toEqual(["prediction_id", "expected a non-empty string, got number"]);
    expect(problem({ ...ok, prediction_id: text(257) })).toEqual(["prediction_id", "longer than 256 characters"]);
    expect(one({ ...ok, prediction_id: text(256) }).batch.ids).toEqual([text(256)]);
    expect(one({ ...ok, prediction_id: "x" }).batch.ids).toEqual(["x"]);
    expect(one({ ...ok, prediction_id: 42 }).batch.ids).toEqual(["42"]);
    expect(one({ ...ok, prediction_id: 0.5 }).batch.ids).toEqual(["0.5"]);
  });

  it("reads the timestamp as ISO 8601 or Unix milliseconds within 0 to 8.64e15, the time of receipt when absent", () => {
    const time = (timestamp: unknown) => [...one({ ...ok, timestamp }).batch.timestamps];
    expect(time(undefined)).toEqual([NOW]);
    expect(time(null)).toEqual([NOW]);
    expect(time(0)).toEqual([0]);
    expect(time(LAST_TIME)).toEqual([LAST_TIME]);
    expect(time("2026-11-26T10:00:00+01:00")).toEqual([Date.UTC(2026, 10, 26, 9)]);
    const bad = "expected an ISO 8601 time or Unix milliseconds, got";
    expect(problem({ ...ok, timestamp: -1 })).toEqual(["timestamp", `${bad} number`]);
    expect(problem({ ...ok, timestamp: LAST_TIME + 1 })).toEqual(["timestamp", `${bad} number`]);
    expect(problem({ ...ok, timestamp: true })).toEqual(["timestamp", `${bad} boolean`]);
    expect(problem({ ...ok, timestamp: { at: 1 } })).toEqual(["timestamp", `${bad} object`]);
    expect(problem({ ...ok, timestamp: "yesterday" })).toEqual(["timestamp", `${bad} "yesterday"`]);
    // The text is quoted back, cut at 40 characters.
    expect(problem({ ...ok, timestamp: `${text(40, "x")}yz` })).toEqual(["timestamp", `${bad} "${text(40, "x")}"`]);
  });

  it("takes an optional subject_id of 1 to 128 characters and lists the subjects only when one was given", () => {
    const bad = "expected a string of 1 to 128 characters, got";
    expect(problem({ ...ok, subject_id: text(129) })).toEqual(["subject_id", `${bad} 129 characters`]);
    expect(problem({ ...ok, subject_id: "" })).toEqual(["subject_id", `${bad} 0 characters`]);
    expect(problem({ ...ok, subject_id: 7 })).toEqual(["subject_id", `${bad} number`]);
    const { batch } = validateEvents([{ ...ok, subject_id: text(128) }, { ...ok, subject_id: null }, ok], new Map(), schema, NOW);
    expect(batch.subjects).toEqual([text(128), null, null]);
    expect(one(ok).batch).not.toHaveProperty("subjects");
  });

  it("reports the first problem: id, timestamp, subject_id, features, feature values, prediction, score, latency, segment", () => {
    const all = { prediction_id: "", timestamp: "no", subject_id: "", features: [], prediction: null, score: 2, latency_ms: -1, segment: [] };
    const order: string[] = [];
    const fixes: Record<string, unknown>[] = [
      { prediction_id: "p" }, { timestamp: 1 }, { subject_id: "s" }, { features: { a: "1", b: "x" } }, { features: { a: 1, b: "x" } },
      { prediction: 0 }, { score: 0.5 }, { latency_ms: 0 }, { segment: {} },
    ];
    let event: Record<string, unknown> = all;
    for (const fix of fixes) {
      order.push(problem(event)![0]);
      event = { ...event, ...fix };
    }
    expect(order).toEqual(["prediction_id", "timestamp", "subject_id", "features", "features.a", "prediction", "score", "latency_ms", "segment"]);
    expect(problem(event)).toBeUndefined();
  });
});

describe("validateEvents: features", () => {
  it("requires the features object", () => {
    expect(problem({ ...ok, features: undefined })).toEqual(["features", "required"]);
    expect(problem({ ...ok, features: null })).toEqual(["features", "expected an object, got null"]);
    expect(problem({ ...ok, features: [1, "x"] })).toEqual(["features", "expected an object, got array"]);
  });

  it("checks numerical values: a finite number, an integer for int, missing allowed unless not nullable", () => {
    const ints: FeatureSpec[] = [{ name: "n", kind: "numerical", dtype: "int" }, { name: "m", kind: "numerical", dtype: "float", nullable: false }];
    const event = (n: unknown, m: unknown) => ({ prediction_id: "p", features: { n, m }, prediction: 1 });
    expect(problem(event(1.5, 1), ints)).toEqual(["features.n", "expected an integer, got 1.5"]);
    expect(problem(event("2", 1), ints)).toEqual(["features.n", "expected a number, got string"]);
    expect(problem(event(2, null), ints)).toEqual(["features.m", "required (the feature is not nullable)"]);
    expect(problem({ prediction_id: "p", features: { n: 2 }, prediction: 1 }, ints)).toEqual(["features.m", "required (the feature is not nullable)"]);
    const { batch } = validateEvents([event(2, 0.5), event(null, -3), { prediction_id: "q", features: { m: 1 }, prediction: 1 }], new Map(), ints, NOW);
    const [n, m] = batch.features as [Column, Column];
    expect(n.kind === "numerical" && [...n.values]).toEqual([2, Number.NaN, Number.NaN]);
    expect(m.kind === "numerical" && [...m.values]).toEqual([0.5, -3, 1]);
  });

  it("checks categorical values: a string of at most 1024 characters, a number or a boolean; only a boolean for bool", () => {
    const cats: FeatureSpec[] = [{ name: "c", kind: "categorical", dtype: "string" }, { name: "flag", kind: "categorical", dtype: "bool", nullable: false }];
    const event = (c: unknown, flag: unknown) => ({ prediction_id: "p", features: { c, flag }, prediction: 1 });
    expect(problem(event(text(1_025), true), cats)).toEqual(["features.c", "string longer than 1024 characters"]);
    expect(problem(event({ v: 1 }, true), cats)).toEqual(["features.c", "expected a string, number or boolean, got object"]);
    expect(problem(event("x", "true"), cats)).toEqual(["features.flag", "expected a boolean, got string"]);
    expect(problem(event("x", 1), cats)).toEqual(["features.flag", "expected a boolean, got number"]);
    expect(problem(event("x", null), cats)).toEqual(["features.flag", "required (the feature is not nullable)"]);
    const { batch } = validateEvents([event(text(1_024), true), event(3, false), event(null, true)], new Map(), cats, NOW);
    const [c, flag] = batch.features as [Column, Column];
    expect(c.kind === "categorical" && [...c.codes].map((k) => c.dictionary[k] ?? null)).toEqual([text(1_024), "3", null]);
    expect(flag.kind === "categorical" && [...flag.codes].map((k) => flag.dictionary[k] ?? null)).toEqual(["true", "false", "true"]);
  });

  it("does not take a schema feature named like an Object.prototype member from the prototype", () => {
    const named: FeatureSpec[] = [{ name: "constructor", kind: "categorical", dtype: "string" }, { name: "valueOf", kind: "embedding", dtype: "float", dimension: 2 }];
    const { batch, rejected } = validateEvents([{ prediction_id: "p", features: {}, prediction: 1 }], new Map(), named, NOW);
    expect(rejected).toEqual([]);
    expect(batch.absentRows?.map((r) => (r === null ? null : [...r]))).toEqual([[0]]);
    expect([...batch.embeddings![0]!.values]).toEqual([Number.NaN, Number.NaN]);
  });

  it("checks embeddings: exactly `dimension` finite numbers, the offending component named", () => {
    const emb: FeatureSpec[] = [{ name: "e", kind: "embedding", dtype: "float", dimension: 3 }];
    const event = (e: unknown) => ({ prediction_id: "p", features: { e }, prediction: 1 });
    expect(problem(event({ 0: 1 }), emb)).toEqual(["features.e", "expected an array of 3 numbers, got object"]);
    expect(problem(event([1, 2]), emb)).toEqual(["features.e", "expected 3 components, got 2"]);
    expect(problem(event([1, 2, 3, 4]), emb)).toEqual(["features.e", "expected 3 components, got 4"]);
    expect(problem(event([1, "2", 3]), emb)).toEqual(["features.e[1]", "expected a number, got string"]);
    expect(problem(event([1, 2, null]), emb)).toEqual(["features.e[2]", "expected a number, got null"]);
    expect(problem(JSON.parse('{"prediction_id":"p","features":{"e":[1,2,1e400]},"prediction":1}'), emb)).toEqual(["features.e[2]", "number out of range (beyond ±1.8e308)"]);
    expect(problem(event(null), [{ ...emb[0]!, nullable: false }])).toEqual(["features.e", "required (the feature is not nullable)"]);
  });

  it("stores embeddings projected to at most 64 components, missing ones as NaN", () => {
    const wide = Array.from({ length: 65 }, (_, i) => (i % 7) - 3);
    const schemaE: FeatureSpec[] = [{ name: "small", kind: "embedding", dtype: "float", dimension: 3 }, { name: "big", kind: "embedding", dtype: "float", dimension: 65 }];
    const { batch } = validateEvents(
      [{ prediction_id: "1", features: { small: [0.5, -1, 2], big: wide }, prediction: 1 }, { prediction_id: "2", features: { big: wide }, prediction: 1 }],
      new Map(), schemaE, NOW,
    );
    const [small, big] = batch.embeddings!;
    expect({ name: small!.name, dimension: small!.dimension, k: small!.k }).toEqual({ name: "small", dimension: 3, k: 3 });
    expect([...small!.values]).toEqual([0.5, -1, 2, Number.NaN, Number.NaN, Number.NaN]);
    // The monitor keeps 64 components per embedding (EMBEDDING_COMPONENTS); wider vectors go through the feature's own projection.
    expect({ name: big!.name, dimension: big!.dimension, k: big!.k }).toEqual({ name: "big", dimension: 65, k: 64 });
    const expected = new Float32Array(64);
    hashedProjection(65, 64, seedOf("big")).project(wide, expected, 0);
    expect([...big!.values.subarray(0, 64)]).toEqual([...expected]);
    expect([...big!.values.subarray(64)]).toEqual([...expected]);
  });
});

describe("validateEvents: keys outside the schema", () => {
  const many = (n: number, prefix = "x") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 1]));

  it("lists at most 20 per event, names cut at 256 characters", () => {
    const { batch } = validateEvents(
      [{ ...ok, features: { a: 1, b: "x", ...many(21) } }, { ...ok, features: { a: 1, b: "x", ...many(20, "y") } }, { ...ok, features: { [text(256, "k")]: 1, [text(257, "l")]: 2 } }],
      new Map(), schema, NOW,
    );
    expect(batch.unknownKeys).toEqual([...Object.keys(many(20)), ...Object.keys(many(20, "y")), text(256, "k"), text(256, "l")]);
    expect([...batch.unknownRows!]).toEqual([...Array<number>(20).fill(0), ...Array<number>(20).fill(1), 2, 2]);
  });

  it("finds an unknown key next to a missing embedding", () => {
    const withE: FeatureSpec[] = [...schema, { name: "e", kind: "embedding", dtype: "float", dimension: 2 }];
    const { batch } = validateEvents([{ ...ok, features: { a: 1, b: "x", zz: 1 } }, { ...ok, features: { a: 1, b: "x", e: [1, 2] } }], new Map(), withE, NOW);
    expect(batch.unknownKeys).toEqual(["zz"]);
    expect([...batch.unknownRows!]).toEqual([0]);
  });

  it("lists at most 10,000 per batch, stopping inside the event that reaches the limit", () => {
    // 10 + 499 × 20 = 9,990 keys listed before the last event, whose 20 would pass the limit.
    const items = Array.from({ length: 501 }, (_, i) => ({ prediction_id: String(i), features: { a: 1, b: "x", ...many(i === 0 ? 10 : 20) }, prediction: 1 }));
    const { batch } = validateEvents(items, new Map(), schema, NOW);
    expect(batch.length).toBe(501);
    expect(batch.unknownKeys).toHaveLength(10_000);
    expect([...batch.unknownRows!].filter((row) => row === 500)).toHaveLength(10);
    expect(batch.unknownKeys!.slice(-10)).toEqual(Object.keys(many(10)));
  });
});

describe("validateEvents: prediction, score, latency, segment", () => {
  it("requires a prediction label", () => {
    expect(problem({ ...ok, prediction: undefined })).toEqual(["prediction", "required"]);
    expect(problem({ ...ok, prediction: null })).toEqual(["prediction", "required"]);
    expect(problem({ ...ok, prediction: text(1_025) })).toEqual(["prediction", "string longer than 1024 characters"]);
    expect(one({ ...ok, prediction: text(1_024) }).batch.predictions).toEqual([text(1_024)]);
  });

  it("takes a probability within [0, 1] or 1 to 1000 class probabilities", () => {
    expect(problem({ ...ok, score: -0.01 })).toEqual(["score", "probability must be within [0, 1], got -0.01"]);
    expect(problem({ ...ok, score: 1.01 })).toEqual(["score", "probability must be within [0, 1], got 1.01"]);
    expect(problem({ ...ok, score: {} })).toEqual(["score", "class probabilities must name 1 to 1000 classes"]);
    const classes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, 0.001]));
    expect(problem({ ...ok, score: classes(1_001) })).toEqual(["score", "class probabilities must name 1 to 1000 classes"]);
    expect(problem({ ...ok, score: classes(1_000) })).toBeUndefined();
    expect(problem({ ...ok, score: { yes: 0.5, no: "0.5" } })).toEqual(["score.no", "probability must be a number within [0, 1], got string"]);
    expect(problem({ ...ok, score: { yes: 1.5 } })).toEqual(["score.yes", "probability must be a number within [0, 1], got number"]);
    expect(problem({ ...ok, score: { yes: -0.5 } })).toEqual(["score.yes", "probability must be a number within [0, 1], got number"]);
    expect(problem({ ...ok, score: "0.5" })).toEqual(["score", "expected a probability or an object of class probabilities, got string"]);
    expect(problem({ ...ok, score: [0.5] })).toEqual(["score", "expected a probability or an object of class probabilities, got array"]);
    const { batch } = validateEvents([{ ...ok, score: 0 }, { ...ok, score: 1 }, { ...ok, score: { yes: 0, no: 1 } }, { ...ok, score: null }], new Map(), schema, NOW);
    expect(batch.scores).toEqual([0, 1, { yes: 0, no: 1 }, null]);
    expect(one(ok).batch.scores).toBeNull();
  });

  it("copies class probabilities and segments as plain data, a `__proto__` key included", () => {
    const event = JSON.parse('{"prediction_id":"p","features":{},"prediction":1,"score":{"__proto__":0.25,"b":0.75},"segment":{"__proto__":"eu","tier":2}}');
    const { batch } = one(event);
    const score = batch.scores![0] as Record<string, number>;
    const segment = batch.segments![0]!;
    for (const [copy, source] of [[score, event.score], [segment, { ...JSON.parse('{"__proto__":"eu","tier":"2"}') }]] as const) {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.keys(copy)).toEqual(["__proto__", copy === score ? "b" : "tier"]);
      // Each property as JSON.parse would have made it: own, enumerable, writable, configurable.
      for (const key of Object.keys(copy)) expect(Object.getOwnPropertyDescriptor(copy, key)).toEqual(Object.getOwnPropertyDescriptor(source, key));
    }
    expect(segment.tier).toBe("2");
    expect(score.b).toBe(0.75);
  });

  it("takes a latency of 0 ms or more", () => {
    expect(problem({ ...ok, latency_ms: -1 })).toEqual(["latency_ms", "expected a number >= 0, got number"]);
    expect(problem({ ...ok, latency_ms: "5" })).toEqual(["latency_ms", "expected a number >= 0, got string"]);
    const { batch } = validateEvents([{ ...ok, latency_ms: 0 }, { ...ok, latency_ms: null }], new Map(), schema, NOW);
    expect([...batch.latency!]).toEqual([0, Number.NaN]);
    expect(one(ok).batch.latency).toBeNull();
  });

  it("takes a segment of at most 50 keys whose values are labels, stored as strings", () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(problem({ ...ok, segment: keys(51) })).toEqual(["segment", "at most 50 segment keys"]);
    expect(problem({ ...ok, segment: ["eu"] })).toEqual(["segment", "expected an object, got array"]);
    expect(problem({ ...ok, segment: "eu" })).toEqual(["segment", "expected an object, got string"]);
    expect(problem({ ...ok, segment: { region: { id: 1 } } })).toEqual(["segment.region", "expected a string, number or boolean, got object"]);
    expect(problem({ ...ok, segment: { region: null } })).toEqual(["segment.region", "required"]);
    expect(problem({ ...ok, segment: { region: text(1_025) } })).toEqual(["segment.region", "string longer than 1024 characters"]);
    const { batch } = validateEvents([{ ...ok, segment: keys(50) }, { ...ok, segment: { n: 3, on: true, s: "" } }, { ...ok, segment: null }], new Map(), schema, NOW);
    expect(batch.segments).toEqual([keys(50), { n: "3", on: "true", s: "" }, null]);
    expect(one(ok).batch.segments).toBeNull();
  });
});

describe("validateEvents: the batch", () => {
  it("passes the parser's rejections through by index without validating those items", () => {
    const early = new Map([[1, { field: "(line)", error: "not JSON" }]]);
    const { batch, rejected } = validateEvents([ok, { ...ok, prediction_id: "q" }, { ...ok, prediction_id: "" }], early, schema, NOW);
    expect(batch.ids).toEqual(["p"]);
    expect(rejected).toEqual([
      { index: 1, field: "(line)", error: "not JSON" },
      { index: 2, field: "prediction_id", error: "expected a non-empty string, got string" },
    ]);
  });

  it("lets an unexpected error through instead of calling it a bad event", () => {
    const hostile = { ...ok, get prediction() { throw new TypeError("getter failed"); } };
    expect(() => validateEvents([hostile], new Map(), schema, NOW)).toThrow(TypeError);
  });
});

describe("shared checks", () => {
  it("typeName tells null and arrays from objects", () => {
    expect([null, [], {}, "s", 1, true, undefined].map(typeName)).toEqual(["null", "array", "object", "string", "number", "boolean", "undefined"]);
  });

  it("parseTime: the bounds 0 and 8.64e15, Date.parse for text, now for absent", () => {
    expect(parseTime(undefined, 5)).toBe(5);
    expect(parseTime(null, 5)).toBe(5);
    expect(parseTime(0, 5)).toBe(0);
    expect(parseTime(LAST_TIME, 5)).toBe(LAST_TIME);
    expect(parseTime(-1, 5)).toBeNull();
    expect(parseTime(LAST_TIME + 1, 5)).toBeNull();
    expect(parseTime("1970-01-01T00:00:00.001Z", 5)).toBe(1);
    expect(parseTime("", 5)).toBeNull();
    expect(parseTime(false, 5)).toBeNull();
  });

  it("subjectIdProblem: absent is fine, 1 to 128 characters", () => {
    expect(subjectIdProblem(undefined)).toBeNull();
    expect(subjectIdProblem(null)).toBeNull();
    expect(subjectIdProblem("s")).toBeNull();
    expect(subjectIdProblem(text(128))).toBeNull();
    expect(subjectIdProblem(text(129))).toBe("expected a string of 1 to 128 characters, got 129 characters");
    expect(subjectIdProblem({})).toBe("expected a string of 1 to 128 characters, got object");
  });
});
