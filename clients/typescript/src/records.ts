// What `log`, `logActual` and `logOutcome` take (camelCase, as TypeScript callers write
// it) and how each becomes the wire record the API documents (src/wire.ts), plus the key
// that decides which records may share a batch: events and actuals of one model version,
// outcomes of one model.
import type { ActualsBatch, IngestEvent, OutcomesBatch } from "./wire.ts";

type Time = Date | string | number;

export interface LogEvent {
  model: string;
  version: string;
  predictionId: string;
  features: Record<string, unknown>;
  prediction: IngestEvent["prediction"];
  score?: IngestEvent["score"];
  /** When the prediction was made; the time Vigil receives it when absent. */
  timestamp?: Time;
  latencyMs?: number;
  segment?: Record<string, string | number | boolean>;
  /** Pseudonymous id of the person the prediction is about (erasure finds it by this). */
  subjectId?: string;
}

export interface LogActual {
  model: string;
  version: string;
  predictionId: string;
  actual: string | number | boolean;
  timestamp?: Time;
  subjectId?: string;
}

export interface LogOutcome {
  model: string;
  /** The version the outcome belongs to; without it Vigil joins it by predictionId, else by time. */
  version?: string;
  kpi: string;
  value: number;
  predictionId?: string;
  timestamp?: Time;
  subjectId?: string;
  /** The segment the outcome belongs to, e.g. { region: "north" }. */
  segment?: Record<string, string>;
}

type ActualRecord = ActualsBatch["actuals"][number];
type OutcomeRecord = OutcomesBatch["outcomes"][number];

export type Queued =
  | { kind: "event"; group: string; model: string; version: string; record: IngestEvent }
  | { kind: "actual"; group: string; model: string; version: string; record: ActualRecord }
  | { kind: "outcome"; group: string; model: string; version?: string; record: OutcomeRecord };

function time(t: Time | undefined): string | number | undefined {
  if (t === undefined) return undefined;
  if (t instanceof Date) return t.toISOString();
  return t;
}

function required(value: unknown, field: string, what: string): void {
  if (typeof value !== "string" || value === "") throw new TypeError(`${what}: ${field} must be a non-empty string`);
}

export function queuedEvent(e: LogEvent): Queued {
  required(e.model, "model", "log");
  required(e.version, "version", "log");
  required(e.predictionId, "predictionId", "log");
  if (typeof e.features !== "object" || e.features === null) throw new TypeError("log: features must be an object");
  const record: IngestEvent = { prediction_id: e.predictionId, features: e.features, prediction: e.prediction };
  if (e.score !== undefined) record.score = e.score;
  const ts = time(e.timestamp);
  if (ts !== undefined) record.timestamp = ts;
  if (e.latencyMs !== undefined) record.latency_ms = e.latencyMs;
  if (e.segment !== undefined) record.segment = e.segment;
  if (e.subjectId !== undefined) record.subject_id = e.subjectId;
  return { kind: "event", group: `e\u0000${e.model}\u0000${e.version}`, model: e.model, version: e.version, record };
}

export function queuedActual(a: LogActual): Queued {
  required(a.model, "model", "logActual");
  required(a.version, "version", "logActual");
  required(a.predictionId, "predictionId", "logActual");
  const record: ActualRecord = { prediction_id: a.predictionId, actual: a.actual };
  const ts = time(a.timestamp);
  if (ts !== undefined) record.timestamp = ts;
  if (a.subjectId !== undefined) record.subject_id = a.subjectId;
  return { kind: "actual", group: `a\u0000${a.model}\u0000${a.version}`, model: a.model, version: a.version, record };
}

export function queuedOutcome(o: LogOutcome): Queued {
  required(o.model, "model", "logOutcome");
  required(o.kpi, "kpi", "logOutcome");
  if (typeof o.value !== "number" || !Number.isFinite(o.value)) throw new TypeError("logOutcome: value must be a finite number");
  const record: OutcomeRecord = { kpi: o.kpi, value: o.value };
  if (o.predictionId !== undefined) record.prediction_id = o.predictionId;
  const ts = time(o.timestamp);
  if (ts !== undefined) record.timestamp = ts;
  if (o.subjectId !== undefined) record.subject_id = o.subjectId;
  if (o.segment !== undefined) record.segment = o.segment;
  if (o.version !== undefined) required(o.version, "version", "logOutcome");
  return { kind: "outcome", group: `o\u0000${o.model}\u0000${o.version ?? ""}`, model: o.model, ...(o.version === undefined ? {} : { version: o.version }), record };
}
