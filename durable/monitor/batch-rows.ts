// A stored batch without some of its rows, for erasure (erasure.ts): every per-row field
// keeps only the kept rows, in order, and each categorical dictionary keeps only the
// categories a kept row uses, so an erased row's category text does not survive in it.
import type { Column } from "../../stats/streaming/columns.ts";
import { MISSING_CODE } from "../../stats/streaming/columns.ts";
import type { EmbeddingColumn, EventColumns } from "./event-columns.ts";

function keptColumn(column: Column, keep: Int32Array): Column {
  if (column.kind === "numerical") return { kind: "numerical", name: column.name, values: Float64Array.from(keep, (r) => column.values[r]!) };
  const recode = new Map<number, number>();
  const dictionary: string[] = [];
  const codes = Int32Array.from(keep, (r) => {
    const code = column.codes[r]!;
    if (code === MISSING_CODE) return MISSING_CODE;
    let next = recode.get(code);
    if (next === undefined) {
      next = dictionary.push(column.dictionary[code]!) - 1;
      recode.set(code, next);
    }
    return next;
  });
  return { kind: "categorical", name: column.name, codes, dictionary };
}

/** Maps ascending old row numbers to the new ones, leaving out dropped rows. */
function remapRows(rows: Int32Array, newIndex: Int32Array): number[] {
  const out: number[] = [];
  for (const r of rows) if (newIndex[r]! >= 0) out.push(newIndex[r]!);
  return out;
}

/** `batch` without the rows for which `drop(row)` is true. */
export function withoutRows(batch: EventColumns, drop: (row: number) => boolean): EventColumns {
  const keepList: number[] = [];
  const newIndex = new Int32Array(batch.length).fill(-1);
  for (let r = 0; r < batch.length; r++) {
    if (drop(r)) continue;
    newIndex[r] = keepList.length;
    keepList.push(r);
  }
  const keep = Int32Array.from(keepList);
  const pick = <T>(values: readonly T[]): T[] => keepList.map((r) => values[r]!);
  const absentRows = batch.absentRows?.map((rows) => {
    if (rows === null) return null;
    const kept = remapRows(rows, newIndex);
    return kept.length > 0 ? Int32Array.from(kept) : null;
  });
  const unknown: { rows: number[]; keys: string[] } = { rows: [], keys: [] };
  if (batch.unknownRows && batch.unknownKeys) {
    batch.unknownRows.forEach((r, i) => {
      if (newIndex[r]! < 0) return;
      unknown.rows.push(newIndex[r]!);
      unknown.keys.push(batch.unknownKeys![i]!);
    });
  }
  const subjects = batch.subjects ? pick(batch.subjects) : null;
  return {
    length: keep.length,
    features: batch.features.map((c) => keptColumn(c, keep)),
    ...(absentRows?.some((rows) => rows !== null) ? { absentRows } : {}),
    ...(unknown.rows.length > 0 ? { unknownRows: Int32Array.from(unknown.rows), unknownKeys: unknown.keys } : {}),
    ids: pick(batch.ids),
    timestamps: Float64Array.from(keep, (r) => batch.timestamps[r]!),
    predictions: pick(batch.predictions),
    scores: batch.scores ? pick(batch.scores) : null,
    latency: batch.latency ? Float64Array.from(keep, (r) => batch.latency![r]!) : null,
    segments: batch.segments ? pick(batch.segments) : null,
    ...(subjects?.some((s) => s !== null) ? { subjects } : {}),
    ...(batch.embeddings ? { embeddings: batch.embeddings.map((e) => keptVectors(e, keep)) } : {}),
  };
}

/** An embedding column with only the kept rows' vectors (an erased row's vector goes with it). */
function keptVectors(e: EmbeddingColumn, keep: Int32Array): EmbeddingColumn {
  const values = new Float32Array(keep.length * e.k);
  keep.forEach((r, i) => values.set(e.values.subarray(r * e.k, r * e.k + e.k), i * e.k));
  return { name: e.name, dimension: e.dimension, k: e.k, values };
}
