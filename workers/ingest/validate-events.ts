// Per-event validation against a version's feature schema. A bad event is rejected on
// its own with the first problem found ({ index, field, error }); the rest are kept.
// Missing feature values are accepted (data quality counts them) unless the feature is
// `nullable: false`; out-of-range numbers and unseen categories are accepted too,
// because they are what monitoring exists to report, as are keys outside the schema and
// schema keys an event lacks (feature-count mismatches: their names travel with the
// batch, capped). Accepted events are written straight into columns (one typed array per
// schema feature), so unexpected keys' values (including `__proto__`'s) go no further
// and no per-event object is built.
import { EventColumnsBuilder, type EmbeddingSpec, type EventColumns } from "../../durable/monitor/event-columns.ts";
import { hashedProjection, seedOf } from "../../stats/embeddings/hashed-projection.ts";
import { embeddingFeatures, scalarFeatures, type EmbeddingFeatureSpec, type FeatureSpec } from "../registry/feature-schema.ts";
import type { FieldIssue } from "../errors.ts";
import { MAX_ID_LENGTH, MAX_STRING_LENGTH, MAX_SUBJECT_ID_LENGTH } from "./limits.ts";

export interface Rejection {
  index: number;
  field: string;
  error: string;
}

export interface Validated {
  /** The accepted events, in columns (schema order). */
  batch: EventColumns;
  rejected: Rejection[];
}

class Bad extends Error {
  readonly field: string;
  constructor(field: string, error: string) {
    super(error);
    this.field = field;
  }
}

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function label(v: unknown, field: string): string | number | boolean {
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (v.length > MAX_STRING_LENGTH) throw new Bad(field, `string longer than ${MAX_STRING_LENGTH} characters`);
    return v;
  }
  throw new Bad(field, v === undefined || v === null ? "required" : `expected a string, number or boolean, got ${typeName(v)}`);
}

function predictionId(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string" || v === "") throw new Bad("prediction_id", v === undefined ? "required" : `expected a non-empty string, got ${typeName(v)}`);
  if (v.length > MAX_ID_LENGTH) throw new Bad("prediction_id", `longer than ${MAX_ID_LENGTH} characters`);
  return v;
}

/** The problem with an optional `subject_id`, or null when it is absent or valid (events, actuals and outcomes share it). */
export function subjectIdProblem(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || v === "" || v.length > MAX_SUBJECT_ID_LENGTH) {
    return `expected a string of 1 to ${MAX_SUBJECT_ID_LENGTH} characters, got ${typeof v === "string" ? `${v.length} characters` : typeName(v)}`;
  }
  return null;
}

/** An ISO 8601 time or Unix milliseconds as Unix ms (`now` when absent), or null when neither. */
export function parseTime(v: unknown, now: number): number | null {
  if (v === undefined || v === null) return now;
  const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}

function timestamp(v: unknown, now: number): number {
  const ms = parseTime(v, now);
  if (ms === null) throw new Bad("timestamp", `expected an ISO 8601 time or Unix milliseconds, got ${typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : typeName(v)}`);
  return ms;
}

function score(v: unknown): number | Record<string, number> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") {
    if (v < 0 || v > 1) throw new Bad("score", `probability must be within [0, 1], got ${v}`);
    return v;
  }
  if (isRecord(v)) {
    const out: Record<string, number> = {};
    const keys = Object.keys(v);
    if (keys.length === 0 || keys.length > 1_000) throw new Bad("score", "class probabilities must name 1 to 1000 classes");
    for (const k of keys) {
      const p = v[k];
      if (typeof p !== "number" || p < 0 || p > 1) throw new Bad(`score.${k}`, `probability must be a number within [0, 1], got ${typeName(p)}`);
      Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new Bad("score", `expected a probability or an object of class probabilities, got ${typeName(v)}`);
}

function latency(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || v < 0) throw new Bad("latency_ms", `expected a number >= 0, got ${typeName(v)}`);
  if (!Number.isFinite(v)) throw new Bad("latency_ms", "number out of range (beyond 1.8e308)");
  return v;
}

function segment(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new Bad("segment", `expected an object, got ${typeName(v)}`);
  const keys = Object.keys(v);
  if (keys.length > 50) throw new Bad("segment", "at most 50 segment keys");
  const out: Record<string, string> = {};
  for (const k of keys) {
    const s = label(v[k], `segment.${k}`);
    Object.defineProperty(out, k, { value: String(s), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function missing(spec: FeatureSpec, field: string): null {
  if (spec.nullable === false) throw new Bad(field, "required (the feature is not nullable)");
  return null;
}

function numberValue(spec: FeatureSpec, v: unknown): number | null {
  const field = `features.${spec.name}`;
  if (v === undefined || v === null) return missing(spec, field);
  if (typeof v !== "number") throw new Bad(field, `expected a number, got ${typeName(v)}`);
  // JSON.parse turns a literal beyond ±1.8e308 into ±Infinity, which JSON cannot carry on.
  if (!Number.isFinite(v)) throw new Bad(field, "number out of range (beyond ±1.8e308)");
  if (spec.dtype === "int" && !Number.isInteger(v)) throw new Bad(field, `expected an integer, got ${v}`);
  return v;
}

function labelValue(spec: FeatureSpec, v: unknown): string | number | boolean | null {
  const field = `features.${spec.name}`;
  if (v === undefined || v === null) return missing(spec, field);
  if (spec.dtype === "bool" && typeof v !== "boolean") throw new Bad(field, `expected a boolean, got ${typeName(v)}`);
  return label(v, field);
}

/** Components an embedding keeps after the Worker's projection (stats/embeddings/hashed-projection.ts). */
export const EMBEDDING_COMPONENTS = 64;

/** A vector of exactly `dimension` finite numbers, or null when missing (refused for `nullable: false`). */
function embeddingValue(spec: EmbeddingFeatureSpec, v: unknown): ArrayLike<number> | null {
  const field = `features.${spec.name}`;
  if (v === undefined || v === null) return missing(spec, field);
  if (!Array.isArray(v)) throw new Bad(field, `expected an array of ${spec.dimension} numbers, got ${typeName(v)}`);
  if (v.length !== spec.dimension) throw new Bad(field, `expected ${spec.dimension} components, got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== "number") throw new Bad(`${field}[${i}]`, `expected a number, got ${typeName(x)}`);
    if (!Number.isFinite(x)) throw new Bad(`${field}[${i}]`, "number out of range (beyond ±1.8e308)");
  }
  return v as number[];
}

/** The builder's embedding specs: each feature's fixed projection, made once per batch. */
function embeddingSpecs(embeddings: readonly EmbeddingFeatureSpec[]): EmbeddingSpec[] {
  return embeddings.map((f) => ({ name: f.name, dimension: f.dimension, projection: hashedProjection(f.dimension, EMBEDDING_COMPONENTS, seedOf(f.name)) }));
}

/**
 * Keys outside the schema are reported to data quality (feature-count mismatches), at
 * most this many per event and per batch, so a hostile record cannot bloat the batch.
 */
const MAX_UNKNOWN_KEYS_PER_EVENT = 20;
const MAX_UNKNOWN_KEYS_PER_BATCH = 10_000;

interface SchemaKeys {
  names: ReadonlySet<string>;
  /** The schema's embedding features, validated as vectors after the scalar ones. */
  embeddings: readonly EmbeddingFeatureSpec[];
  /** Unknown keys still allowed in this batch. */
  unknownBudget: number;
}

/** Validates one event into the builder's current row; throws Bad on the first problem. */
function validateOne(raw: unknown, schema: readonly FeatureSpec[], keys: SchemaKeys, now: number, into: EventColumnsBuilder): void {
  if (!isRecord(raw)) throw new Bad("(event)", `expected an object, got ${typeName(raw)}`);
  const id = predictionId(raw.prediction_id);
  const ts = timestamp(raw.timestamp, now);
  const subjectError = subjectIdProblem(raw.subject_id);
  if (subjectError) throw new Bad("subject_id", subjectError);
  const rawFeatures = raw.features;
  if (!isRecord(rawFeatures)) throw new Bad("features", rawFeatures === undefined ? "required" : `expected an object, got ${typeName(rawFeatures)}`);
  into.begin(id, ts);
  let present = 0;
  for (let i = 0; i < schema.length; i++) {
    const spec = schema[i] as FeatureSpec;
    const has = Object.hasOwn(rawFeatures, spec.name);
    const value = has ? rawFeatures[spec.name] : undefined;
    if (spec.kind === "numerical") into.number(i, numberValue(spec, value));
    else into.label(i, labelValue(spec, value));
    if (has) present++;
    else into.absent(i);
  }
  for (let j = 0; j < keys.embeddings.length; j++) {
    const spec = keys.embeddings[j] as EmbeddingFeatureSpec;
    const has = Object.hasOwn(rawFeatures, spec.name);
    into.embedding(j, embeddingValue(spec, has ? rawFeatures[spec.name] : undefined));
    if (has) present++;
  }
  // Only a record with more keys than the schema features it holds has unknown ones.
  const sent = keys.unknownBudget > 0 ? Object.keys(rawFeatures) : [];
  if (sent.length > present) {
    let listed = 0;
    for (const key of sent) {
      if (keys.names.has(key)) continue;
      if (listed++ === MAX_UNKNOWN_KEYS_PER_EVENT || keys.unknownBudget === 0) break;
      keys.unknownBudget--;
      into.unknownKey(key.length > MAX_ID_LENGTH ? key.slice(0, MAX_ID_LENGTH) : key);
    }
  }
  into.prediction(label(raw.prediction, "prediction"));
  const s = score(raw.score);
  if (s !== undefined) into.score(s);
  const l = latency(raw.latency_ms);
  if (l !== undefined) into.latency(l);
  const seg = segment(raw.segment);
  if (seg !== undefined) into.segment(seg);
  if (typeof raw.subject_id === "string") into.subject(raw.subject_id);
}

/**
 * Validates a batch into columns; bad events are left out and listed, with those the
 * parser already rejected (`itemErrors`: a line that is not JSON, unstorable text).
 */
export function validateEvents(items: readonly unknown[], itemErrors: ReadonlyMap<number, FieldIssue>, fullSchema: readonly FeatureSpec[], now: number): Validated {
  // Columns for the scalar features (schema order); embeddings as projected vectors beside them.
  const schema = scalarFeatures(fullSchema);
  const embeddings = embeddingFeatures(fullSchema);
  const builder = new EventColumnsBuilder(schema, items.length, embeddingSpecs(embeddings));
  const keys: SchemaKeys = { names: new Set(fullSchema.map((f) => f.name)), embeddings, unknownBudget: MAX_UNKNOWN_KEYS_PER_BATCH };
  const rejected: Rejection[] = [];
  for (let index = 0; index < items.length; index++) {
    const early = itemErrors.get(index);
    if (early !== undefined) {
      rejected.push({ index, field: early.field, error: early.error });
      continue;
    }
    try {
      validateOne(items[index], schema, keys, now, builder);
      builder.commit();
    } catch (error) {
      if (!(error instanceof Bad)) throw error;
      rejected.push({ index, field: error.field, error: error.message });
    }
  }
  return { batch: builder.finish(), rejected };
}
