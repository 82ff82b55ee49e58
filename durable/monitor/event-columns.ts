// A validated batch of prediction events in columns (stats/streaming/columns.ts plus
// what only the monitor needs: ids, timestamps, scores, latency, segments). The Worker
// validates straight into this shape and the object counts it without ever building
// one object per event; batch-codec.ts stores it as one binary blob.
import { MISSING_CODE, type Column, type ColumnBatch } from "../../stats/streaming/columns.ts";
import { toCategory } from "../../stats/profile/values.ts";
import type { FeatureSpec, Label, MonitorEvent } from "./calls.ts";

export type Score = number | Record<string, number>;

/**
 * An embedding feature's vectors, projected in the Worker to `k` components
 * (stats/embeddings/hashed-projection.ts): row r's vector is values[r·k … r·k + k);
 * a row without one holds NaN. Only the embedding drift rows read them (embedding-rows.ts).
 */
export interface EmbeddingColumn {
  readonly name: string;
  /** The schema's dimension (what senders send). */
  readonly dimension: number;
  readonly k: number;
  readonly values: Float32Array;
}

/** An embedding feature as the builder needs it: its name, dimension and projection. */
export interface EmbeddingSpec {
  readonly name: string;
  readonly dimension: number;
  readonly projection: { readonly k: number; project(x: ArrayLike<number>, out: Float32Array, offset: number): void };
}

export interface EventColumns extends ColumnBatch {
  readonly ids: readonly string[];
  /** Unix ms, one per row. */
  readonly timestamps: Float64Array;
  readonly predictions: readonly Label[];
  /** Null when no row has a score. */
  readonly scores: readonly (Score | null)[] | null;
  /** NaN where a row has no latency; null when no row has one. */
  readonly latency: Float64Array | null;
  readonly segments: readonly (Record<string, string> | null)[] | null;
  /** The data subject (person) each row is about; absent or null when no row names one. */
  readonly subjects?: readonly (string | null)[] | null;
  /** Embedding features (kind "embedding"), projected; absent when the schema has none. */
  readonly embeddings?: readonly EmbeddingColumn[];
}

interface NumericalBuild {
  kind: "numerical";
  name: string;
  values: Float64Array;
}

interface CategoricalBuild {
  kind: "categorical";
  name: string;
  codes: Int32Array;
  dictionary: string[];
  lookup: Map<string, number>;
}

/**
 * Fills columns one row at a time. A row is written in place and only kept when
 * `commit` is called, so a validator can abandon a half-written row (a rejected event)
 * and the next row simply overwrites it.
 */
export class EventColumnsBuilder {
  readonly #columns: (NumericalBuild | CategoricalBuild)[];
  readonly #ids: string[] = [];
  readonly #timestamps: Float64Array;
  readonly #predictions: Label[] = [];
  readonly #scores: (Score | null)[] = [];
  readonly #latency: Float64Array;
  readonly #segments: (Record<string, string> | null)[] = [];
  readonly #subjects: (string | null)[] = [];
  #hasSubjects = false;
  #hasScores = false;
  #hasLatency = false;
  #hasSegments = false;
  /** Per column, committed rows whose event lacked the key; the current row's marks wait in #rowAbsent. */
  readonly #absent: number[][];
  #rowAbsent: number[] = [];
  readonly #unknownRows: number[] = [];
  readonly #unknownKeys: string[] = [];
  #rowUnknown: string[] = [];
  /** The row being written; rows before it are committed. */
  row = 0;

  readonly #embeddings: { spec: EmbeddingSpec; values: Float32Array }[];

  constructor(features: readonly FeatureSpec[], capacity: number, embeddings: readonly EmbeddingSpec[] = []) {
    this.#embeddings = embeddings.map((spec) => ({ spec, values: new Float32Array(capacity * spec.projection.k) }));
    this.#columns = features.map((f) =>
      f.kind === "numerical"
        ? { kind: "numerical", name: f.name, values: new Float64Array(capacity) }
        : { kind: "categorical", name: f.name, codes: new Int32Array(capacity), dictionary: [], lookup: new Map() },
    );
    this.#timestamps = new Float64Array(capacity);
    this.#latency = new Float64Array(capacity);
    this.#absent = features.map(() => []);
  }

  /** Starts (or restarts) the current row: optional fields default to absent. */
  begin(id: string, timestamp: number): void {
    const r = this.row;
    this.#ids[r] = id;
    this.#timestamps[r] = timestamp;
    this.#scores[r] = null;
    this.#latency[r] = Number.NaN;
    this.#segments[r] = null;
    this.#subjects[r] = null;
    this.#rowAbsent = [];
    this.#rowUnknown = [];
  }

  /** The current row's event lacked feature `index`'s key entirely (its cell is also set missing). */
  absent(index: number): void {
    this.#rowAbsent.push(index);
  }

  /** The current row's event carried `key`, which is not a schema feature. */
  unknownKey(key: string): void {
    this.#rowUnknown.push(key);
  }

  /** Feature `index` (schema order) of the current row: a number, or null when missing. */
  number(index: number, x: number | null): void {
    (this.#columns[index] as NumericalBuild).values[this.row] = x ?? Number.NaN;
  }

  /** Embedding `index` (order of the builder's embeddings) of the current row: a validated vector, or null when missing. */
  embedding(index: number, vector: ArrayLike<number> | null): void {
    const e = this.#embeddings[index]!;
    const k = e.spec.projection.k;
    if (vector === null) e.values.fill(Number.NaN, this.row * k, this.row * k + k);
    else e.spec.projection.project(vector, e.values, this.row * k);
  }

  /** Feature `index` of the current row as a category (`toCategory`: "" and non-finite numbers are missing). */
  label(index: number, raw: string | number | boolean | null): void {
    const column = this.#columns[index] as CategoricalBuild;
    const category = raw === null ? undefined : toCategory(raw);
    let code = MISSING_CODE;
    if (category !== undefined) {
      const known = column.lookup.get(category);
      if (known !== undefined) code = known;
      else {
        code = column.dictionary.push(category) - 1;
        column.lookup.set(category, code);
      }
    }
    column.codes[this.row] = code;
  }

  prediction(label: Label): void {
    this.#predictions[this.row] = label;
  }

  score(s: Score): void {
    this.#scores[this.row] = s;
    this.#hasScores = true;
  }

  latency(ms: number): void {
    this.#latency[this.row] = ms;
    this.#hasLatency = true;
  }

  segment(s: Record<string, string>): void {
    this.#segments[this.row] = s;
    this.#hasSegments = true;
  }

  subject(id: string): void {
    this.#subjects[this.row] = id;
    this.#hasSubjects = true;
  }

  commit(): void {
    for (const index of this.#rowAbsent) (this.#absent[index] as number[]).push(this.row);
    for (const key of this.#rowUnknown) {
      this.#unknownRows.push(this.row);
      this.#unknownKeys.push(key);
    }
    this.#rowAbsent = [];
    this.#rowUnknown = [];
    this.row++;
  }

  finish(): EventColumns {
    const n = this.row;
    const features: Column[] = this.#columns.map((c) =>
      c.kind === "numerical"
        ? { kind: "numerical", name: c.name, values: c.values.subarray(0, n) }
        : { kind: "categorical", name: c.name, codes: c.codes.subarray(0, n), dictionary: c.dictionary },
    );
    const absentRows = this.#absent.some((rows) => rows.length > 0) ? this.#absent.map((rows) => (rows.length > 0 ? Int32Array.from(rows) : null)) : undefined;
    return {
      length: n,
      features,
      ...(absentRows ? { absentRows } : {}),
      ...(this.#unknownRows.length > 0 ? { unknownRows: Int32Array.from(this.#unknownRows), unknownKeys: [...this.#unknownKeys] } : {}),
      ids: this.#ids.slice(0, n),
      timestamps: this.#timestamps.subarray(0, n),
      predictions: this.#predictions.slice(0, n),
      scores: this.#hasScores ? this.#scores.slice(0, n) : null,
      latency: this.#hasLatency ? this.#latency.subarray(0, n) : null,
      segments: this.#hasSegments ? this.#segments.slice(0, n) : null,
      ...(this.#hasSubjects ? { subjects: this.#subjects.slice(0, n) } : {}),
      ...(this.#embeddings.length > 0
        ? { embeddings: this.#embeddings.map((e) => ({ name: e.spec.name, dimension: e.spec.dimension, k: e.spec.projection.k, values: e.values.subarray(0, n * e.spec.projection.k) })) }
        : {}),
    };
  }
}

/** Columns from already-validated event records (tests, and batches stored as JSON before columns existed). */
export function columnsFromEvents(events: readonly MonitorEvent[], features: readonly FeatureSpec[]): EventColumns {
  const builder = new EventColumnsBuilder(features, events.length);
  const known = new Set(features.map((f) => f.name));
  for (const e of events) {
    builder.begin(e.prediction_id, e.timestamp);
    builder.prediction(e.prediction);
    for (const key of Object.keys(e.features)) if (!known.has(key)) builder.unknownKey(key);
    features.forEach((f, i) => {
      if (!Object.hasOwn(e.features, f.name)) builder.absent(i);
      const raw = e.features[f.name];
      if (f.kind === "numerical") builder.number(i, typeof raw === "number" && Number.isFinite(raw) ? raw : null);
      else builder.label(i, typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? raw : null);
    });
    if (e.score !== undefined) builder.score(e.score);
    if (e.latency_ms !== undefined) builder.latency(e.latency_ms);
    if (e.segment !== undefined) builder.segment(e.segment);
    if (e.subject_id !== undefined) builder.subject(e.subject_id);
    builder.commit();
  }
  return builder.finish();
}
