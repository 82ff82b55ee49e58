// Ground truth (POST /v1/actuals) and business outcomes (POST /v1/outcomes), one record at
// a time: each rule at its exact limit (the limit passes, one past it is refused), the
// field each refusal names, the order the checks run in (the first problem is the one
// reported), and the records that come out. The routes put these rejections in their 200
// reply, { index, field, error } (docs/api.md); here the validator is called directly so
// that every rule is pinned without workerd.
import { describe, expect, it } from "vitest";
import { validateActuals, validateOutcomes } from "./validate-actuals.ts";

const NOW = 1_795_683_600_000;
/** The end of ECMAScript's date range, the latest time a record may carry (ECMA-262 §21.4.1.1). */
const LAST_TIME = 8.64e15;
const text = (n: number, c = "a") => c.repeat(n);

/** The single rejection of a one-record batch, or undefined when the record passed. */
const actualProblem = (record: unknown) => {
  const { actuals, rejected } = validateActuals([record], NOW);
  expect(actuals.length + rejected.length).toBe(1);
  return rejected[0] && [rejected[0].field, rejected[0].error];
};
const outcomeProblem = (record: unknown) => {
  const { outcomes, rejected } = validateOutcomes([record], NOW);
  expect(outcomes.length + rejected.length).toBe(1);
  return rejected[0] && [rejected[0].field, rejected[0].error];
};

const ID_ERROR = "expected a non-empty string of at most 256 characters, got";
const TIME_ERROR = ["timestamp", "expected an ISO 8601 time or Unix milliseconds"];
const SUBJECT_ERROR = "expected a string of 1 to 128 characters, got";

describe("validateActuals", () => {
  it("keeps the good records in order and lists each bad one by its index", () => {
    const { actuals, rejected } = validateActuals(
      [{ prediction_id: "p1", actual: 1 }, null, { prediction_id: "p2", actual: "yes", timestamp: 1_000 }, [], "p3", 7, { prediction_id: "p4", actual: false }],
      NOW,
    );
    expect(actuals).toStrictEqual([
      { prediction_id: "p1", actual: 1, timestamp: NOW },
      { prediction_id: "p2", actual: "yes", timestamp: 1_000 },
      { prediction_id: "p4", actual: false, timestamp: NOW },
    ]);
    expect(rejected).toStrictEqual([
      { index: 1, field: "(record)", error: "expected an object, got null" },
      { index: 3, field: "(record)", error: "expected an object, got array" },
      { index: 4, field: "(record)", error: "expected an object, got string" },
      { index: 5, field: "(record)", error: "expected an object, got number" },
    ]);
  });

  it("gives an empty batch nothing either way", () => {
    expect(validateActuals([], NOW)).toStrictEqual({ actuals: [], rejected: [] });
  });

  it("requires a prediction_id of 1 to 256 characters", () => {
    expect(actualProblem({ actual: 1 })).toEqual(["prediction_id", "required"]);
    expect(actualProblem({ prediction_id: null, actual: 1 })).toEqual(["prediction_id", "required"]);
    expect(actualProblem({ prediction_id: "", actual: 1 })).toEqual(["prediction_id", `${ID_ERROR} string`]);
    // Unlike an event's, an actual's id is never a number: it must match the stored string.
    expect(actualProblem({ prediction_id: 42, actual: 1 })).toEqual(["prediction_id", `${ID_ERROR} number`]);
    expect(actualProblem({ prediction_id: { id: "p" }, actual: 1 })).toEqual(["prediction_id", `${ID_ERROR} object`]);
    expect(actualProblem({ prediction_id: text(256), actual: 1 })).toBeUndefined();
    expect(actualProblem({ prediction_id: text(257), actual: 1 })).toEqual(["prediction_id", `${ID_ERROR} string`]);
    expect(actualProblem({ prediction_id: "x", actual: 1 })).toBeUndefined();
  });

  it("requires an actual that is a finite number, a string of at most 1024 characters or a boolean", () => {
    expect(actualProblem({ prediction_id: "p" })).toEqual(["actual", "required"]);
    expect(actualProblem({ prediction_id: "p", actual: null })).toEqual(["actual", "required"]);
    for (const ok of [0, -3.5, 1e308, "", text(1_024), true, false]) expect(actualProblem({ prediction_id: "p", actual: ok })).toBeUndefined();
    const bad = "expected a string, number or boolean, got";
    expect(actualProblem({ prediction_id: "p", actual: text(1_025) })).toEqual(["actual", `${bad} string`]);
    // JSON.parse turns 1e400 into Infinity; it cannot be stored as JSON again.
    expect(actualProblem(JSON.parse('{"prediction_id":"p","actual":1e400}'))).toEqual(["actual", `${bad} number`]);
    expect(actualProblem({ prediction_id: "p", actual: Number.NaN })).toEqual(["actual", `${bad} number`]);
    expect(actualProblem({ prediction_id: "p", actual: { label: 1 } })).toEqual(["actual", `${bad} object`]);
    expect(actualProblem({ prediction_id: "p", actual: [1] })).toEqual(["actual", `${bad} array`]);
  });

  it("reads the timestamp as ISO 8601 or Unix milliseconds within 0 to 8.64e15, the time of receipt when absent", () => {
    const time = (timestamp: unknown) => validateActuals([{ prediction_id: "p", actual: 1, timestamp }], NOW);
    expect(time(undefined).actuals[0]?.timestamp).toBe(NOW);
    expect(time(null).actuals[0]?.timestamp).toBe(NOW);
    expect(time(0).actuals[0]?.timestamp).toBe(0);
    expect(time(LAST_TIME).actuals[0]?.timestamp).toBe(LAST_TIME);
    expect(time("2026-11-26T09:00:00Z").actuals[0]?.timestamp).toBe(Date.UTC(2026, 10, 26, 9));
    expect(time("2026-11-26T10:00:00+01:00").actuals[0]?.timestamp).toBe(Date.UTC(2026, 10, 26, 9));
    for (const bad of [-1, LAST_TIME + 1, Number.POSITIVE_INFINITY, "yesterday", "", true, {}, ["2026-11-26T09:00:00Z"]]) {
      expect(actualProblem({ prediction_id: "p", actual: 1, timestamp: bad })).toEqual(TIME_ERROR);
    }
  });

  it("takes an optional subject_id of 1 to 128 characters and keeps it only when given", () => {
    expect(validateActuals([{ prediction_id: "p", actual: 1, subject_id: text(128) }], NOW).actuals).toStrictEqual([
      { prediction_id: "p", actual: 1, timestamp: NOW, subject_id: text(128) },
    ]);
    expect(validateActuals([{ prediction_id: "p", actual: 1, subject_id: null }], NOW).actuals).toStrictEqual([{ prediction_id: "p", actual: 1, timestamp: NOW }]);
    expect(actualProblem({ prediction_id: "p", actual: 1, subject_id: "s" })).toBeUndefined();
    expect(actualProblem({ prediction_id: "p", actual: 1, subject_id: text(129) })).toEqual(["subject_id", `${SUBJECT_ERROR} 129 characters`]);
    expect(actualProblem({ prediction_id: "p", actual: 1, subject_id: "" })).toEqual(["subject_id", `${SUBJECT_ERROR} 0 characters`]);
    expect(actualProblem({ prediction_id: "p", actual: 1, subject_id: 12 })).toEqual(["subject_id", `${SUBJECT_ERROR} number`]);
  });

  it("reports the first problem: id, then actual, then timestamp, then subject_id", () => {
    expect(actualProblem({ prediction_id: "", actual: null, timestamp: "no", subject_id: "" })?.[0]).toBe("prediction_id");
    expect(actualProblem({ prediction_id: "p", actual: null, timestamp: "no", subject_id: "" })?.[0]).toBe("actual");
    expect(actualProblem({ prediction_id: "p", actual: 1, timestamp: "no", subject_id: "" })?.[0]).toBe("timestamp");
    expect(actualProblem({ prediction_id: "p", actual: 1, timestamp: 5, subject_id: "" })?.[0]).toBe("subject_id");
  });

  it("refuses text that cannot be stored before any other check, naming its path", () => {
    expect(actualProblem({ prediction_id: "p\u0000", actual: 1 })).toEqual(["prediction_id", "must not contain a NUL character (U+0000)"]);
    // Found even where no other rule looks (a key outside the record's fields), and before the missing actual.
    expect(actualProblem({ prediction_id: "p", extra: { note: "\ud800" } })).toEqual([
      "extra.note",
      "must not contain a lone surrogate (an unpaired UTF-16 code unit, U+D800 to U+DFFF)",
    ]);
  });
});

describe("validateOutcomes", () => {
  const good = { kpi: "revenue", value: 12.5 };

  it("keeps the good records in order with only the fields given, and lists each bad one by its index", () => {
    const { outcomes, rejected } = validateOutcomes(
      [
        good,
        { ...good, prediction_id: "p1", subject_id: "s1", segment: { region: "eu" }, timestamp: 2_000 },
        { ...good, prediction_id: null, subject_id: null, segment: null },
        false,
        { kpi: "clicks" },
      ],
      NOW,
    );
    expect(outcomes).toStrictEqual([
      { timestamp: NOW, kpi: "revenue", value: 12.5 },
      { timestamp: 2_000, kpi: "revenue", value: 12.5, segment: { region: "eu" }, prediction_id: "p1", subject_id: "s1" },
      { timestamp: NOW, kpi: "revenue", value: 12.5 },
    ]);
    expect(rejected).toStrictEqual([
      { index: 3, field: "(record)", error: "expected an object, got boolean" },
      { index: 4, field: "value", error: "expected a finite number, got undefined" },
    ]);
  });

  it("takes an optional prediction_id of 1 to 256 characters", () => {
    expect(outcomeProblem({ ...good, prediction_id: text(256) })).toBeUndefined();
    expect(outcomeProblem({ ...good, prediction_id: text(257) })).toEqual(["prediction_id", `${ID_ERROR} string`]);
    expect(outcomeProblem({ ...good, prediction_id: "" })).toEqual(["prediction_id", `${ID_ERROR} string`]);
    expect(outcomeProblem({ ...good, prediction_id: 3 })).toEqual(["prediction_id", `${ID_ERROR} number`]);
  });

  it("requires a kpi of 1 to 200 characters", () => {
    const bad = "expected a non-empty string of at most 200 characters, got";
    expect(outcomeProblem({ ...good, kpi: text(200) })).toBeUndefined();
    expect(outcomeProblem({ ...good, kpi: "k" })).toBeUndefined();
    expect(outcomeProblem({ ...good, kpi: text(201) })).toEqual(["kpi", `${bad} string`]);
    expect(outcomeProblem({ ...good, kpi: "" })).toEqual(["kpi", `${bad} string`]);
    expect(outcomeProblem({ value: 1 })).toEqual(["kpi", `${bad} undefined`]);
    expect(outcomeProblem({ ...good, kpi: 7 })).toEqual(["kpi", `${bad} number`]);
  });

  it("requires a finite number as the value", () => {
    for (const ok of [0, -1e308, 1e308]) expect(outcomeProblem({ ...good, value: ok })).toBeUndefined();
    expect(outcomeProblem({ ...good, value: "12" })).toEqual(["value", "expected a finite number, got string"]);
    expect(outcomeProblem({ ...good, value: null })).toEqual(["value", "expected a finite number, got null"]);
    expect(outcomeProblem(JSON.parse('{"kpi":"k","value":-1e400}'))).toEqual(["value", "expected a finite number, got number"]);
  });

  it("reads the timestamp as actuals do", () => {
    expect(validateOutcomes([{ ...good, timestamp: LAST_TIME }], NOW).outcomes[0]?.timestamp).toBe(LAST_TIME);
    expect(validateOutcomes([{ ...good, timestamp: "2026-11-26T09:00:00.000Z" }], NOW).outcomes[0]?.timestamp).toBe(Date.UTC(2026, 10, 26, 9));
    for (const bad of [-1, LAST_TIME + 1, "soon", false]) expect(outcomeProblem({ ...good, timestamp: bad })).toEqual(TIME_ERROR);
  });

  it("takes an optional subject_id of 1 to 128 characters", () => {
    expect(outcomeProblem({ ...good, subject_id: text(128) })).toBeUndefined();
    expect(outcomeProblem({ ...good, subject_id: text(129) })).toEqual(["subject_id", `${SUBJECT_ERROR} 129 characters`]);
    expect(outcomeProblem({ ...good, subject_id: ["s"] })).toEqual(["subject_id", `${SUBJECT_ERROR} array`]);
  });

  it("takes a segment of at most 20 string values, keys of 1 to 200 characters, values of at most 1024", () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(validateOutcomes([{ ...good, segment: keys(20) }], NOW).outcomes[0]?.segment).toStrictEqual(keys(20));
    expect(outcomeProblem({ ...good, segment: keys(21) })).toEqual(["segment", "at most 20 keys, got 21"]);
    expect(outcomeProblem({ ...good, segment: {} })).toBeUndefined();
    const badKey = ["segment", "keys must be non-empty strings of at most 200 characters"];
    expect(outcomeProblem({ ...good, segment: { [text(200)]: "v" } })).toBeUndefined();
    expect(outcomeProblem({ ...good, segment: { [text(201)]: "v" } })).toEqual(badKey);
    expect(outcomeProblem({ ...good, segment: { "": "v" } })).toEqual(badKey);
    const badValue = "expected a string of at most 1024 characters, got";
    expect(outcomeProblem({ ...good, segment: { region: text(1_024) } })).toBeUndefined();
    expect(outcomeProblem({ ...good, segment: { region: "", tier: text(1_025) } })).toEqual(["segment.tier", `${badValue} string`]);
    expect(outcomeProblem({ ...good, segment: { region: 3 } })).toEqual(["segment.region", `${badValue} number`]);
    expect(outcomeProblem({ ...good, segment: { region: null } })).toEqual(["segment.region", `${badValue} null`]);
    expect(outcomeProblem({ ...good, segment: ["eu"] })).toEqual(["segment", "expected an object of string values, got array"]);
    expect(outcomeProblem({ ...good, segment: "region:eu" })).toEqual(["segment", "expected an object of string values, got string"]);
  });

  it("reports the first problem: id, kpi, value, timestamp, subject_id, then segment", () => {
    const all = { prediction_id: "", kpi: "", value: "x", timestamp: "no", subject_id: "", segment: [] };
    expect(outcomeProblem(all)?.[0]).toBe("prediction_id");
    expect(outcomeProblem({ ...all, prediction_id: "p" })?.[0]).toBe("kpi");
    expect(outcomeProblem({ ...all, prediction_id: "p", kpi: "k" })?.[0]).toBe("value");
    expect(outcomeProblem({ ...all, prediction_id: "p", kpi: "k", value: 1 })?.[0]).toBe("timestamp");
    expect(outcomeProblem({ ...all, prediction_id: "p", kpi: "k", value: 1, timestamp: 1 })?.[0]).toBe("subject_id");
    expect(outcomeProblem({ ...all, prediction_id: "p", kpi: "k", value: 1, timestamp: 1, subject_id: "s" })?.[0]).toBe("segment");
  });

  it("refuses unstorable text in a segment value, naming its path", () => {
    expect(outcomeProblem({ ...good, segment: { region: "e\u0000u" } })).toEqual(["segment.region", "must not contain a NUL character (U+0000)"]);
  });
});
