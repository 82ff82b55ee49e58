// PUT …/baseline with a raw reference dataset: CSV, JSON Lines or a bare JSON array,
// optionally gzip. Parsed by stats/io's readers, profiled against the version's schema.
import type { RawValue } from "../../stats/drift/types.ts";
import { parseJsonArray } from "../../stats/io/json-array.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { ApiError } from "../errors.ts";
import type { ScalarFeatureSpec as FeatureSpec } from "../registry/feature-schema.ts";
import { keepColumns, profileUpload, type UploadSummary } from "./profile-upload.ts";
import { datasetError, readStreamedDataset } from "./read-upload.ts";

/**
 * A bare JSON array is parsed whole (JSON.parse holds every row object at once, about
 * four times the text's size), so past this many characters it is refused with a 413
 * that points to CSV or JSON Lines, which stream.
 */
export const MAX_JSON_ARRAY_CHARS = 16 * 1024 * 1024;

export interface ProfiledUpload {
  profile: Profile;
  summary: UploadSummary;
  /** A sample of the upload's rows for the monitor's multivariate scores. */
  jointRows: Record<string, RawValue[]>;
}

/** A CSV or JSON Lines body, streamed and profiled. */
export async function profileStreamedUpload(request: Request, format: "csv" | "jsonl", schema: readonly FeatureSpec[]): Promise<ProfiledUpload> {
  const labels = schema.filter((f) => f.kind === "categorical").map((f) => f.name);
  const { dataset, columns } = await readStreamedDataset(request, format, keepColumns(schema), undefined, labels);
  return profileUpload(dataset, format, schema, columns);
}

/** Whether an application/json body is a bare array of rows rather than an object. */
export function isJsonArray(text: string): boolean {
  return /^\uFEFF?\s*\[/.test(text.slice(0, 1024));
}

/** A bare JSON array of row objects (already read, within ingest's body limits), profiled. */
export function profileJsonArray(text: string, schema: readonly FeatureSpec[]): ProfiledUpload {
  if (text.length > MAX_JSON_ARRAY_CHARS) {
    throw new ApiError(
      413,
      "payload_too_large",
      `a JSON array body is parsed whole and may hold at most ${MAX_JSON_ARRAY_CHARS} characters (this one has ${text.length}); send the rows as CSV (text/csv) or JSON Lines (application/x-ndjson), which stream`,
      { limit_chars: MAX_JSON_ARRAY_CHARS },
    );
  }
  let dataset;
  try {
    dataset = parseJsonArray(text);
  } catch (error) {
    throw datasetError(error, "json");
  }
  return profileUpload(dataset, "json", schema);
}

const MAX_NAME = 200;
const MAX_NOTE = 2_000;

/** `?name=` and `?note=` of a raw upload (400 past their lengths). */
export function uploadLabels(query: URLSearchParams): { name?: string; note?: string } {
  const name = query.get("name")?.trim();
  const note = query.get("note")?.trim();
  if (name !== undefined && name.length > MAX_NAME) throw new ApiError(400, "validation_failed", `name: at most ${MAX_NAME} characters`, [{ field: "name", error: `at most ${MAX_NAME} characters` }]);
  if (note !== undefined && note.length > MAX_NOTE) throw new ApiError(400, "validation_failed", `note: at most ${MAX_NOTE} characters`, [{ field: "note", error: `at most ${MAX_NOTE} characters` }]);
  return { ...(name ? { name } : {}), ...(note ? { note } : {}) };
}

const FORMAT_NAMES = { csv: "CSV", jsonl: "JSON Lines", json: "JSON array" } as const;

/** The audit note of an upload: what was profiled, what was left out, then the user's note. */
export function uploadNote(summary: UploadSummary, userNote: string | undefined): string {
  const list = (names: string[]) => (names.length > 10 ? `${names.slice(0, 10).join(", ")}, … ${names.length - 10} more` : names.join(", "));
  const text =
    `profiled from an uploaded ${FORMAT_NAMES[summary.format]}: ${summary.rows} rows, ${summary.features.length} features` +
    (summary.prediction ? " and the prediction" : "") +
    (summary.calibration === null ? "" : "rows" in summary.calibration ? `; scores calibrated on ${summary.calibration.rows} labelled rows` : `; no score calibration: ${summary.calibration.reason}`) +
    (summary.omitted_features.length ? `; schema features not in the upload: ${list(summary.omitted_features)}` : "") +
    (summary.ignored_columns.length ? `; columns ignored: ${list(summary.ignored_columns)}` : "") +
    (userNote ? ` — ${userNote}` : "");
  return text.slice(0, MAX_NOTE);
}
