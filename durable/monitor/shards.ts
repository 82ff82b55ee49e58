// Splitting a validated batch across a version's shards (issue 23). A row goes to shard
// hash(prediction_id) mod N. Sharding by prediction id, not by batch, is what keeps the
// label join local: POST /v1/actuals routes each actual by the same hash, so it meets its
// prediction in one object without asking every shard. Each shard's sub-batch keeps the
// batch id, and since the split depends only on the ids and N, a retry splits the same way
// and every shard's own 24 h dedupe stays exact.
import type { Column } from "../../stats/streaming/columns.ts";
import type { EventColumns } from "./event-columns.ts";

/**
 * 32-bit FNV-1a over the id's UTF-16 code units (Fowler, Noll, Vo; IETF draft
 * draft-eastlake-fnv): h₀ = 2166136261, hᵢ = (hᵢ₋₁ xor cᵢ) · 16777619 mod 2³². Stable across
 * isolates and releases (the routing of an id must never change while N does not), and
 * even enough over UUIDs and counters for a mod-16 split.
 */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function shardOf(predictionId: string, shards: number): number {
  return shards <= 1 ? 0 : idHash(predictionId) % shards;
}

/** Maps ascending row indices into a subset's positions, for the batch's sparse row lists. */
function remap(rows: Int32Array, position: Int32Array): { kept: number[]; at: number[] } {
  const kept: number[] = [];
  const at: number[] = [];
  rows.forEach((row, i) => {
    const p = position[row] as number;
    if (p >= 0) {
      kept.push(p);
      at.push(i);
    }
  });
  return { kept, at };
}

/** The batch's rows `rows` (ascending) as a batch of their own; categorical dictionaries are shared. */
export function selectRows(batch: EventColumns, rows: Int32Array): EventColumns {
  const n = rows.length;
  const position = new Int32Array(batch.length).fill(-1);
  rows.forEach((row, i) => (position[row] = i));
  const pick = <T>(all: readonly T[]) => Array.from(rows, (r) => all[r] as T);
  const features: Column[] = batch.features.map((c) =>
    c.kind === "numerical"
      ? { kind: "numerical", name: c.name, values: Float64Array.from(rows, (r) => c.values[r] as number) }
      : { kind: "categorical", name: c.name, codes: Int32Array.from(rows, (r) => c.codes[r] as number), dictionary: c.dictionary },
  );
  const absentRows = batch.absentRows?.map((list) => {
    if (list === null) return null;
    const { kept } = remap(list, position);
    return kept.length > 0 ? Int32Array.from(kept) : null;
  });
  let unknown: { unknownRows: Int32Array; unknownKeys: string[] } | null = null;
  if (batch.unknownRows && batch.unknownKeys) {
    const { kept, at } = remap(batch.unknownRows, position);
    if (kept.length > 0) unknown = { unknownRows: Int32Array.from(kept), unknownKeys: at.map((i) => batch.unknownKeys![i] as string) };
  }
  return {
    length: n,
    features,
    ...(absentRows?.some((r) => r !== null) ? { absentRows } : {}),
    ...(unknown ?? {}),
    ids: pick(batch.ids),
    timestamps: Float64Array.from(rows, (r) => batch.timestamps[r] as number),
    predictions: pick(batch.predictions),
    scores: batch.scores === null ? null : pick(batch.scores),
    latency: batch.latency === null ? null : Float64Array.from(rows, (r) => batch.latency![r] as number),
    segments: batch.segments === null ? null : pick(batch.segments),
    ...(batch.subjects ? { subjects: pick(batch.subjects) } : {}),
    ...(batch.embeddings
      ? {
          embeddings: batch.embeddings.map((e) => {
            const values = new Float32Array(n * e.k);
            rows.forEach((r, i) => values.set(e.values.subarray(r * e.k, r * e.k + e.k), i * e.k));
            return { ...e, values };
          }),
        }
      : {}),
  };
}

/** The batch split by shard: entry i holds shard i's rows, or null when no row hashes there. */
export function splitByShard(batch: EventColumns, shards: number): (EventColumns | null)[] {
  if (shards <= 1) return [batch];
  const rowsOf: number[][] = Array.from({ length: shards }, () => []);
  for (let row = 0; row < batch.length; row++) rowsOf[shardOf(batch.ids[row] as string, shards)]!.push(row);
  return rowsOf.map((rows) => (rows.length === 0 ? null : rows.length === batch.length ? batch : selectRows(batch, Int32Array.from(rows))));
}
