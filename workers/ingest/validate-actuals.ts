// Per-record validation of ground truth and business outcomes, same rules as events:
// a bad record is rejected on its own with { index, field, error }, including one holding
// text that cannot be stored (security/unsafe-text.ts; records are small, so each is walked).
import type { ActualEvent, OutcomeEvent } from "../../durable/monitor/calls.ts";
import { firstUnsafeText } from "../security/unsafe-text.ts";
import { MAX_ID_LENGTH, MAX_STRING_LENGTH } from "./limits.ts";
import { isRecord, parseTime, subjectIdProblem, typeName, type Rejection } from "./validate-events.ts";

/** [field, error] for the first problem of a record. */
type Problem = [string, string];

/** Reads each record with `read`, which returns the record or its first problem. */
function validateRecords<T>(items: readonly unknown[], read: (r: Record<string, unknown>) => T | Problem): { valid: T[]; rejected: Rejection[] } {
  const valid: T[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, index) => {
    const unsafe = isRecord(raw) ? firstUnsafeText(raw) : undefined;
    const out = !isRecord(raw) ? (["(record)", `expected an object, got ${typeName(raw)}`] as Problem) : unsafe ? ([unsafe.field, unsafe.error] as Problem) : read(raw);
    if (Array.isArray(out)) rejected.push({ index, field: out[0], error: out[1] });
    else valid.push(out);
  });
  return { valid, rejected };
}

function idProblem(v: unknown, field: string, required: boolean): Problem | null {
  if (v === undefined || v === null) return required ? [field, "required"] : null;
  if (typeof v !== "string" || v === "" || v.length > MAX_ID_LENGTH) return [field, `expected a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${typeName(v)}`];
  return null;
}

const BAD_TIME: Problem = ["timestamp", "expected an ISO 8601 time or Unix milliseconds"];

export function validateActuals(items: readonly unknown[], now: number): { actuals: ActualEvent[]; rejected: Rejection[] } {
  const { valid, rejected } = validateRecords<ActualEvent>(items, (r) => {
    const id = idProblem(r.prediction_id, "prediction_id", true);
    if (id) return id;
    const a = r.actual;
    if (a === undefined || a === null) return ["actual", "required"];
    if (typeof a === "number" ? !Number.isFinite(a) : typeof a === "string" ? a.length > MAX_STRING_LENGTH : typeof a !== "boolean") {
      return ["actual", `expected a string, number or boolean, got ${typeName(a)}`];
    }
    const timestamp = parseTime(r.timestamp, now);
    if (timestamp === null) return BAD_TIME;
    const subject = subjectIdProblem(r.subject_id);
    if (subject) return ["subject_id", subject];
    const actual: ActualEvent = { prediction_id: r.prediction_id as string, actual: a as ActualEvent["actual"], timestamp };
    if (typeof r.subject_id === "string") actual.subject_id = r.subject_id;
    return actual;
  });
  return { actuals: valid, rejected };
}

/** An outcome's segment: at most 20 string → string pairs of bounded length. */
function segmentProblem(v: unknown): Problem | null {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) return ["segment", `expected an object of string values, got ${typeName(v)}`];
  const entries = Object.entries(v);
  if (entries.length > 20) return ["segment", `at most 20 keys, got ${entries.length}`];
  for (const [k, value] of entries) {
    if (k === "" || k.length > 200) return ["segment", "keys must be non-empty strings of at most 200 characters"];
    if (typeof value !== "string" || value.length > MAX_STRING_LENGTH) return [`segment.${k}`, `expected a string of at most ${MAX_STRING_LENGTH} characters, got ${typeName(value)}`];
  }
  return null;
}

export function validateOutcomes(items: readonly unknown[], now: number): { outcomes: OutcomeEvent[]; rejected: Rejection[] } {
  const { valid, rejected } = validateRecords<OutcomeEvent>(items, (r) => {
    const id = idProblem(r.prediction_id, "prediction_id", false);
    if (id) return id;
    if (typeof r.kpi !== "string" || r.kpi === "" || r.kpi.length > 200) return ["kpi", `expected a non-empty string of at most 200 characters, got ${typeName(r.kpi)}`];
    if (typeof r.value !== "number" || !Number.isFinite(r.value)) return ["value", `expected a finite number, got ${typeName(r.value)}`];
    const timestamp = parseTime(r.timestamp, now);
    if (timestamp === null) return BAD_TIME;
    const subject = subjectIdProblem(r.subject_id);
    if (subject) return ["subject_id", subject];
    const segment = segmentProblem(r.segment);
    if (segment) return segment;
    const outcome: OutcomeEvent = { timestamp, kpi: r.kpi, value: r.value };
    if (isRecord(r.segment)) outcome.segment = r.segment as Record<string, string>;
    if (typeof r.prediction_id === "string") outcome.prediction_id = r.prediction_id;
    if (typeof r.subject_id === "string") outcome.subject_id = r.subject_id;
    return outcome;
  });
  return { outcomes: valid, rejected };
}
