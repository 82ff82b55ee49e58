// PII features in a ModelMonitor (docs/compliance.md, "PII features"). Categorical PII
// never reaches the object raw: the Worker replaces each value by its keyed hash before
// the batch is encoded (workers/pii/). A numerical PII value cannot be hashed and still
// be profiled, so the object counts it into the windows' sketches at ingest and keeps it
// nowhere else: a batch with numerical PII is counted in the transaction that records its
// id (its payload is never stored), and every row-level copy the object keeps of it (the
// events held for a first-events baseline, the multivariate row samples) has the value
// blanked to missing. A first-events baseline therefore has no values for such a feature
// and leaves it out; an uploaded baseline (profiled from the file, which is not kept)
// monitors it.
import type { FeatureSpec } from "./calls.ts";
import type { EventColumns } from "./event-columns.ts";

/** Names of the numerical features tagged PII. */
export function piiNumerical(features: readonly FeatureSpec[]): ReadonlySet<string> {
  return new Set(features.filter((f) => f.pii !== undefined && f.kind === "numerical").map((f) => f.name));
}

/** `batch` with the named numerical columns blanked to missing (NaN); the same batch when none is named. */
export function withoutValues(batch: EventColumns, names: ReadonlySet<string>): EventColumns {
  if (names.size === 0) return batch;
  return {
    ...batch,
    features: batch.features.map((c) => (c.kind === "numerical" && names.has(c.name) ? { kind: "numerical", name: c.name, values: new Float64Array(batch.length).fill(Number.NaN) } : c)),
  };
}
