// How an accepted batch is stored in the object's SQLite (and carried from the Worker
// over RPC): one binary blob of typed columns, not JSON. Writing it is a few memcpys,
// and reading it back is a JSON.parse of a short header plus typed-array views, where
// a JSON batch cost a full stringify in the Worker and a full parse in the object.
//
// Layout (little-endian, version 3):
//   "VGB3" · u32 header byte length · header (UTF-8 JSON) · zero padding to 8 bytes
//   · f64 timestamps[n] · [f64 latency[n]] · [f64 scores[n] (NaN = no score)] · per feature in header order:
//     numerical f64 values[n] (NaN = missing) | categorical i32 codes[n] (-1 = missing),
//     each section padded to 8 bytes
//   · per embedding in header order: f32 values[n·k] (NaN rows = missing), padded to 8
//   header = { n, features: [{ name, kind, dictionary? }], ids, predictions,
//              scores?, scoreColumn?, segments?, subjects?, latency: boolean, absent?,
//              unknown?, embeddings?: [{ name, dimension, k }] }
// Scores that are all probabilities (or absent) go in the f64 section (`scoreColumn`);
// class-probability objects stay in the header's `scores`. Formatting 1,000 doubles as
// JSON text and parsing them back was most of the codec's time: a 1,000-event, 20-feature
// batch with full-precision scores encodes in 0.08 ms instead of 0.19 and decodes in 0.06
// instead of 0.12 (docs/benchmarks.md, "Scores as a column").
// Version 2 ("VGB2") is the same layout with every score in the header; version 1
// ("VGB1") also lacks `subjects` (it predates subject_id). Both are still read, as are
// batches stored before this format (JSON arrays of events). A new magic for each, so
// an older reader refuses a newer blob rather than misreads its sections.
import type { Column } from "../../stats/streaming/columns.ts";
import type { FeatureSpec, Label, MonitorEvent } from "./calls.ts";
import { columnsFromEvents, type EventColumns, type Score } from "./event-columns.ts";

const MAGIC = 0x33424756; // "VGB3" read as a little-endian u32
/** Version 2 blobs, stored before the score column: every score in the header. */
const MAGIC_V2 = 0x32424756; // "VGB2"
/** Version 1 blobs, stored before subject ids, read as batches without subjects. */
const MAGIC_V1 = 0x31424756; // "VGB1"

interface Header {
  n: number;
  features: { name: string; kind: Column["kind"]; dictionary?: readonly string[] }[];
  ids: readonly string[];
  predictions: readonly Label[];
  scores?: readonly (Score | null)[];
  /** Version 3: the scores are all numbers or null, in an f64 section after latency. */
  scoreColumn?: true;
  segments?: readonly (Record<string, string> | null)[];
  /** Version 2: per row, the data subject's id (null: none); absent when no row names one. */
  subjects?: readonly (string | null)[];
  latency: boolean;
  /** Per feature, the rows whose event lacked the key (null: none); absent when no row lacked any. */
  absent?: (number[] | null)[];
  /** [rows, keys]: row rows[i] carried the non-schema key keys[i]. */
  unknown?: [number[], readonly string[]];
  /** Projected embedding columns (event-columns.ts), after the feature sections. */
  embeddings?: { name: string; dimension: number; k: number }[];
}

const pad8 = (n: number) => (n + 7) & ~7;

export function encodeBatch(batch: EventColumns): Uint8Array {
  const n = batch.length;
  const header: Header = {
    n,
    features: batch.features.map((c) => (c.kind === "numerical" ? { name: c.name, kind: c.kind } : { name: c.name, kind: c.kind, dictionary: c.dictionary })),
    ids: batch.ids,
    predictions: batch.predictions,
    latency: batch.latency !== null,
  };
  const scoreColumn = batch.scores !== null && batch.scores.every((s) => s === null || typeof s === "number") ? toScoreColumn(batch.scores as readonly (number | null)[]) : null;
  if (scoreColumn !== null) header.scoreColumn = true;
  else if (batch.scores !== null) header.scores = batch.scores;
  if (batch.segments !== null) header.segments = batch.segments;
  if (batch.subjects) header.subjects = batch.subjects;
  if (batch.absentRows) header.absent = batch.absentRows.map((rows) => (rows === null ? null : Array.from(rows)));
  if (batch.unknownRows && batch.unknownKeys) header.unknown = [Array.from(batch.unknownRows), batch.unknownKeys];
  const embeddings = batch.embeddings ?? [];
  if (embeddings.length > 0) header.embeddings = embeddings.map((e) => ({ name: e.name, dimension: e.dimension, k: e.k }));
  const text = new TextEncoder().encode(JSON.stringify(header));
  let size = pad8(8 + text.length) + 8 * n * (1 + (batch.latency === null ? 0 : 1) + (scoreColumn === null ? 0 : 1));
  for (const c of batch.features) size += c.kind === "numerical" ? 8 * n : pad8(4 * n);
  for (const e of embeddings) size += pad8(4 * n * e.k);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, text.length, true);
  out.set(text, 8);
  let offset = pad8(8 + text.length);
  const put = (array: Float64Array | Int32Array | Float32Array) => {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += pad8(array.byteLength);
  };
  put(batch.timestamps);
  if (batch.latency !== null) put(batch.latency);
  if (scoreColumn !== null) put(scoreColumn);
  for (const c of batch.features) put(c.kind === "numerical" ? c.values : c.codes);
  for (const e of embeddings) put(e.values);
  return out;
}

/**
 * Reads a stored batch. `features` is only used for a legacy JSON batch, whose events
 * carry no column kinds of their own.
 */
export function decodeBatch(stored: ArrayBuffer | Uint8Array | string, features: readonly FeatureSpec[]): EventColumns {
  if (typeof stored === "string") return columnsFromEvents(JSON.parse(stored) as MonitorEvent[], features);
  // Typed views need 8-byte alignment; a blob from SQLite starts at offset 0, a slice may not.
  let bytes = stored instanceof Uint8Array ? stored : new Uint8Array(stored);
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.byteLength < 8 ? 0 : view.getUint32(0, true);
  if (magic !== MAGIC && magic !== MAGIC_V2 && magic !== MAGIC_V1) throw new Error("stored batch is neither a VGB3, VGB2 or VGB1 blob nor JSON");
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  const n = header.n;
  let offset = bytes.byteOffset + pad8(8 + headerLength);
  const take = <T extends Float64Array | Int32Array | Float32Array>(make: (buffer: ArrayBufferLike, at: number, length: number) => T, width: number, count = n): T => {
    if (offset - bytes.byteOffset + width * count > bytes.byteLength) throw new Error("stored batch is truncated");
    const array = make(bytes.buffer, offset, count);
    offset += pad8(width * count);
    return array;
  };
  const f64 = () => take((b, at, len) => new Float64Array(b, at, len), 8);
  const i32 = () => take((b, at, len) => new Int32Array(b, at, len), 4);
  const timestamps = f64();
  const latency = header.latency ? f64() : null;
  const scores = header.scoreColumn ? fromScoreColumn(f64()) : (header.scores ?? null);
  const columns: Column[] = header.features.map((f) =>
    f.kind === "numerical"
      ? { kind: "numerical", name: f.name, values: f64() }
      : { kind: "categorical", name: f.name, codes: i32(), dictionary: f.dictionary ?? [] },
  );
  const embeddings = (header.embeddings ?? []).map((e) => ({ ...e, values: take((b, at, len) => new Float32Array(b, at, len), 4, n * e.k) }));
  return {
    length: n,
    features: columns,
    ids: header.ids,
    timestamps,
    predictions: header.predictions,
    scores,
    latency,
    segments: header.segments ?? null,
    ...(magic !== MAGIC_V1 && header.subjects ? { subjects: header.subjects } : {}),
    ...(header.absent ? { absentRows: header.absent.map((rows) => (rows === null ? null : Int32Array.from(rows))) } : {}),
    ...(header.unknown ? { unknownRows: Int32Array.from(header.unknown[0]), unknownKeys: header.unknown[1] } : {}),
    ...(embeddings.length > 0 ? { embeddings } : {}),
  };
}

/** Probabilities as f64, NaN for a row without a score (a validated score is always finite). */
function toScoreColumn(scores: readonly (number | null)[]): Float64Array {
  const column = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) column[i] = scores[i] ?? Number.NaN;
  return column;
}

function fromScoreColumn(column: Float64Array): (number | null)[] {
  const scores = new Array<number | null>(column.length);
  for (let i = 0; i < column.length; i++) scores[i] = Number.isNaN(column[i]) ? null : (column[i] as number);
  return scores;
}
