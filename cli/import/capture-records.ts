// SageMaker Data Capture and Model Monitor ground-truth records, as Vigil events and
// actuals. A capture line (AWS SageMaker Developer Guide, "Preprocessing and
// Postprocessing" and "View collected data") is
//   {"captureData": {"endpointInput": {observedContentType, mode, data, encoding},
//                    "endpointOutput": {...}},
//    "eventMetadata": {"eventId", "inferenceId"?, "inferenceTime"}, "eventVersion": "0"}
// with `encoding` CSV, JSON or BASE64 (the default when the endpoint declares no content
// types; the bytes are then read by `observedContentType`). A ground-truth line
// ("Ingest Ground Truth Labels and Merge Them With Predictions") is
//   {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId"}, "eventVersion": "0"}
// and joins the capture whose inferenceId, else eventId, it names: so the prediction id
// is the inferenceId when the caller supplied one, else the eventId, as Model Monitor merges.
// A request holding several CSV lines (or JSON instances) gives one event per row, with
// prediction ids `<id>:<row>`; a ground-truth record with as many lines labels them in order.
import { CliError } from "../cli-error.ts";

export interface CaptureEvent {
  prediction_id: string;
  timestamp?: string;
  features: Record<string, unknown>;
  prediction: string | number | boolean;
  score?: number;
}

export interface GroundTruthActual {
  prediction_id: string;
  actual: string | number | boolean;
}

interface Payload {
  observedContentType?: unknown;
  data?: unknown;
  encoding?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(where: string, problem: string): never {
  throw new CliError(`${where}: ${problem}`);
}

/** A CSV cell as a value: numbers as numbers, empty as missing. */
function cell(text: string): string | number | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) && /^[-+]?(\d|\.\d)/.test(t) ? n : t;
}

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") fields.push(field), (field = "");
    else field += ch;
  }
  fields.push(field);
  return fields;
}

const csvRows = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== "").map(csvFields);

/** The payload's text, and whether it is CSV or JSON. */
function decode(p: Payload, where: string): { kind: "csv" | "json"; text: string } {
  if (!isObject(p)) fail(where, "missing");
  if (typeof p.data !== "string") fail(`${where}.data`, "expected a string");
  const encoding = String(p.encoding ?? "").toUpperCase();
  const type = String(p.observedContentType ?? "").toLowerCase();
  if (encoding === "CSV") return { kind: "csv", text: p.data };
  if (encoding === "JSON") return { kind: "json", text: p.data };
  if (encoding === "BASE64") {
    const text = Buffer.from(p.data, "base64").toString("utf8");
    if (type.includes("csv")) return { kind: "csv", text };
    if (type.includes("json")) return { kind: "json", text };
    fail(`${where}.observedContentType`, `"${p.observedContentType}" is neither CSV nor JSON; only tabular captures can be imported`);
  }
  return fail(`${where}.encoding`, `expected CSV, JSON or BASE64, got ${JSON.stringify(p.encoding)}`);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(where, `not valid JSON: ${(error as Error).message}`);
  }
}

function featureRows(p: Payload, names: readonly string[], where: string): Record<string, unknown>[] {
  const { kind, text } = decode(p, where);
  const named = (values: unknown[]) => Object.fromEntries(values.map((v, j) => [names[j] ?? `f${j}`, v]));
  if (kind === "csv") return csvRows(text).map((fields) => named(fields.map(cell)));
  const body = parseJson(text, `${where}.data`);
  const rows = isObject(body) && Array.isArray(body.instances) ? body.instances : Array.isArray(body) ? (body.every((r) => Array.isArray(r) || isObject(r)) ? body : [body]) : [body];
  return rows.map((row, i) => {
    if (isObject(row)) return isObject(row.features) ? row.features : row;
    if (Array.isArray(row)) return named(row);
    return fail(`${where}.data`, `row ${i} is neither an object nor an array`);
  });
}

function predictionRows(p: Payload, where: string): { prediction: string | number | boolean; score?: number }[] {
  const { kind, text } = decode(p, where);
  if (kind === "csv") {
    return csvRows(text).map((fields, i) => {
      const value = cell(fields[0] ?? "");
      if (value === null) fail(`${where}.data`, `row ${i} holds no prediction`);
      return { prediction: value };
    });
  }
  const body = parseJson(text, `${where}.data`);
  const list = isObject(body) ? (body.predictions ?? body.prediction ?? body.outputs) : body;
  const values = Array.isArray(list) ? list : [list];
  const scores = isObject(body) && Array.isArray(body.probabilities) ? body.probabilities : isObject(body) && Array.isArray(body.scores) ? body.scores : [];
  return values.map((v, i) => {
    const value = isObject(v) ? (v.predicted_label ?? v.label ?? v.prediction ?? v.score) : Array.isArray(v) && v.length === 1 ? v[0] : v;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") fail(`${where}.data`, `prediction ${i} is not a string, number or boolean`);
    const score = scores[i] ?? (isObject(v) && typeof v.score === "number" && value !== v.score ? v.score : undefined);
    return typeof score === "number" && score >= 0 && score <= 1 ? { prediction: value, score } : { prediction: value };
  });
}

function eventId(meta: unknown, where: string): string {
  if (!isObject(meta)) fail(`${where}.eventMetadata`, "missing");
  const id = meta.inferenceId ?? meta.eventId;
  if (typeof id !== "string" || id === "") fail(`${where}.eventMetadata.eventId`, "missing");
  return id;
}

/** One capture line's events; `where` names the file and line in errors. */
export function captureEvents(line: unknown, names: readonly string[], where: string): CaptureEvent[] {
  if (!isObject(line) || !isObject(line.captureData)) fail(where, "not a Data Capture record (no captureData)");
  const id = eventId(line.eventMetadata, where);
  const input = line.captureData.endpointInput as Payload;
  const output = line.captureData.endpointOutput as Payload;
  if (!isObject(input) || !isObject(output)) fail(`${where}.captureData`, "needs both endpointInput and endpointOutput (capture mode Input and Output)");
  const features = featureRows(input, names, `${where}.captureData.endpointInput`);
  const predictions = predictionRows(output, `${where}.captureData.endpointOutput`);
  if (features.length !== predictions.length) fail(where, `the input holds ${features.length} rows and the output ${predictions.length}`);
  const time = isObject(line.eventMetadata) && typeof line.eventMetadata.inferenceTime === "string" ? line.eventMetadata.inferenceTime : undefined;
  return features.map((f, i) => ({
    prediction_id: features.length === 1 ? id : `${id}:${i}`,
    ...(time ? { timestamp: time } : {}),
    features: f,
    ...predictions[i]!,
  }));
}

/** One ground-truth line's actuals. */
export function groundTruthActuals(line: unknown, where: string): GroundTruthActual[] {
  if (!isObject(line) || !isObject(line.groundTruthData)) fail(where, "not a ground-truth record (no groundTruthData)");
  const id = eventId(line.eventMetadata, where);
  const labels = predictionRows(line.groundTruthData as Payload, `${where}.groundTruthData`);
  return labels.map((l, i) => ({ prediction_id: labels.length === 1 ? id : `${id}:${i}`, actual: l.prediction }));
}
