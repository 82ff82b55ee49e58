import { buildProfile, ProfileBuildError } from "../../stats/profile/build.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { parseCsv } from "../../stats/io/csv.ts";
import { DatasetError, type Dataset } from "../../stats/io/dataset.ts";
import { parseJsonArray } from "../../stats/io/json-array.ts";
import { parseJsonLines } from "../../stats/io/jsonl.ts";
import { ApiError } from "../errors.ts";
import type { FeatureSpec } from "./feature-schema.ts";

// Turns an uploaded reference dataset (CSV, JSON Lines or a JSON array of rows) into a
// reference profile with stats/io and stats/profile, so a baseline can be set from raw
// data as well as from a profile built elsewhere.

export const DATASET_TYPES = ["text/csv", "application/x-ndjson", "application/jsonl", "application/json"] as const;

export function parseDataset(contentType: string, text: string): Dataset {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  try {
    if (type === "text/csv") return parseCsv(text);
    if (type === "application/x-ndjson" || type === "application/jsonl") return parseJsonLines(text);
    if (type === "application/json") return parseJsonArray(text);
  } catch (err) {
    if (err instanceof DatasetError) throw new ApiError(400, "validation_failed", `invalid body: ${err.message}`, [{ field: "(body)", error: err.message }]);
    throw err;
  }
  throw new ApiError(415, "unsupported_media_type", `send the dataset as ${DATASET_TYPES.join(", ")}; got ${type || "no content type"}`);
}

/**
 * Profiles the dataset's columns: the version's features (kinds from its schema) when it
 * has one, else every column but the prediction column.
 */
export function profileDataset(dataset: Dataset, schema: FeatureSpec[], prediction: string | undefined): Profile {
  try {
    return buildProfile(dataset, {
      ...(schema.length && { features: schema.map((f) => ({ name: f.name, kind: f.kind })) }),
      ...(prediction && { prediction }),
      createdAt: new Date().toISOString(),
    });
  } catch (err) {
    if (err instanceof ProfileBuildError || err instanceof DatasetError) throw new ApiError(400, "validation_failed", `invalid body: ${err.message}`, [{ field: "(body)", error: err.message }]);
    throw err;
  }
}
