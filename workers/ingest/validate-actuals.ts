// Per-record validation of ground truth and business outcomes, same rules as events:
// a bad record is rejected on its own with { index, field, error }.
import type { ActualEvent, OutcomeEvent } from "../../durable/monitor/calls.ts";
import { MAX_ID_LENGTH, MAX_STRING_LENGTH } from "./limits.ts";
import { typeName, type Rejection } from "./validate-events.ts";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function problem(raw: unknown, check: (r: Record<string, unknown>) => [string, string] | null): [string, string] | null {
  if (!isRecord(raw)) return ["(record)", `expected an object, got ${typeName(raw)}`];
  return check(raw);
}

function idProblem(v: unknown, field: string, required: boolean): [string, string] | null {
  if (v === undefined || v === null) return required ? [field, "required"] : null;
  if (typeof v !== "string" || v === "" || v.length > MAX_ID_LENGTH) return [field, `expected a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${typeName(v)}`];
  return null;
}

function time(v: unknown, now: number): number | null {
  if (v === undefined || v === null) return now;
  const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}

export function validateActuals(items: readonly unknown[], now: number): { actuals: ActualEvent[]; rejected: Rejection[] } {
  const actuals: ActualEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, index) => {
    const bad = problem(raw, (r) => {
      const id = idProblem(r.prediction_id, "prediction_id", true);
      if (id) return id;
      const a = r.actual;
      if (a === undefined || a === null) return ["actual", "required"];
      if (typeof a === "number" ? !Number.isFinite(a) : typeof a === "string" ? a.length > MAX_STRING_LENGTH : typeof a !== "boolean") {
        return ["actual", `expected a string, number or boolean, got ${typeName(a)}`];
      }
      if (time(r.timestamp, now) === null) return ["timestamp", "expected an ISO 8601 time or Unix milliseconds"];
      return null;
    });
    if (bad) rejected.push({ index, field: bad[0], error: bad[1] });
    else if (isRecord(raw)) {
      actuals.push({ prediction_id: raw.prediction_id as string, actual: raw.actual as ActualEvent["actual"], timestamp: time(raw.timestamp, now)! });
    }
  });
  return { actuals, rejected };
}

export function validateOutcomes(items: readonly unknown[], now: number): { outcomes: OutcomeEvent[]; rejected: Rejection[] } {
  const outcomes: OutcomeEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, index) => {
    const bad = problem(raw, (r) => {
      const id = idProblem(r.prediction_id, "prediction_id", false);
      if (id) return id;
      if (typeof r.kpi !== "string" || r.kpi === "" || r.kpi.length > 200) return ["kpi", `expected a non-empty string of at most 200 characters, got ${typeName(r.kpi)}`];
      if (typeof r.value !== "number" || !Number.isFinite(r.value)) return ["value", `expected a finite number, got ${typeName(r.value)}`];
      if (time(r.timestamp, now) === null) return ["timestamp", "expected an ISO 8601 time or Unix milliseconds"];
      return null;
    });
    if (bad) rejected.push({ index, field: bad[0], error: bad[1] });
    else if (isRecord(raw)) {
      const outcome: OutcomeEvent = { timestamp: time(raw.timestamp, now)!, kpi: raw.kpi as string, value: raw.value as number };
      if (typeof raw.prediction_id === "string") outcome.prediction_id = raw.prediction_id;
      outcomes.push(outcome);
    }
  });
  return { outcomes, rejected };
}
