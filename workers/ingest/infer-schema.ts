// A feature schema guessed from a first batch, for versions registered by ingest:
// numbers are numerical (dtype float), arrays of numbers of one length are embeddings
// (up to the schema's limits; other arrays are left out), anything else is
// categorical (bool when every value is a boolean). Keys that could confuse an object
// (`__proto__`, `constructor`, `prototype`), hold control characters or a lone surrogate
// (security/unsafe-text.ts: the schema is stored as jsonb) are skipped.
import { MAX_EMBEDDING_DIMENSION, MAX_EMBEDDING_FEATURES, type FeatureSpec, type PredictionKind } from "../registry/feature-schema.ts";
import { textProblem } from "../security/unsafe-text.ts";
import { MAX_FEATURES } from "./limits.ts";

const UNSAFE = new Set(["__proto__", "constructor", "prototype"]);
const NAME = /^[^\u0000-\u001f:]{1,200}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function inferFeatureSchema(items: readonly unknown[]): FeatureSpec[] {
  const columns = new Map<string, unknown[]>();
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item.features)) continue;
    for (const [name, value] of Object.entries(item.features)) {
      if (UNSAFE.has(name) || !NAME.test(name) || textProblem(name)) continue;
      let column = columns.get(name);
      if (!column) {
        if (columns.size >= MAX_FEATURES) continue;
        column = [];
        columns.set(name, column);
      }
      if (value !== null && value !== undefined) column.push(value);
    }
  }
  const specs: FeatureSpec[] = [];
  let embeddings = 0;
  for (const [name, values] of columns) {
    if (values.length === 0) continue;
    if (values.some(Array.isArray)) {
      const dimension = embeddingDimension(values);
      if (dimension !== null && embeddings < MAX_EMBEDDING_FEATURES) {
        embeddings++;
        specs.push({ name, kind: "embedding", dtype: "float", dimension });
      }
      continue;
    }
    if (values.every((v) => typeof v === "number")) {
      // Always float: a first batch of whole numbers says little about the next one.
      specs.push({ name, kind: "numerical", dtype: "float" });
    } else if (values.every((v) => typeof v === "boolean")) {
      specs.push({ name, kind: "categorical", dtype: "bool" });
    } else {
      specs.push({ name, kind: "categorical", dtype: "string" });
    }
  }
  return specs;
}

/** The common length of arrays of finite numbers (an embedding), or null when the values are anything else. */
function embeddingDimension(values: readonly unknown[]): number | null {
  const first = values[0];
  if (!Array.isArray(first) || first.length === 0 || first.length > MAX_EMBEDDING_DIMENSION) return null;
  const ok = values.every((v) => Array.isArray(v) && v.length === first.length && v.every((x) => typeof x === "number" && Number.isFinite(x)));
  return ok ? first.length : null;
}

/** binary for booleans or 0/1, regression for non-integer numbers, multiclass otherwise. */
export function inferPredictionKind(items: readonly unknown[]): PredictionKind {
  const values = items.filter(isRecord).map((i) => i.prediction).filter((v) => v !== undefined && v !== null);
  if (values.length > 0 && values.every((v) => typeof v === "boolean" || v === 0 || v === 1)) return "binary";
  if (values.length > 0 && values.every((v) => typeof v === "number") && values.some((v) => !Number.isInteger(v))) return "regression";
  return "multiclass";
}
