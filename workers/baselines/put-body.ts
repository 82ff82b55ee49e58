// The body of PUT …/baseline, whatever its kind, turned into the baseline to store: a raw
// dataset (CSV or JSON Lines streamed, a bare JSON array read whole: upload.ts), a profile
// as a Vigil profile (vigil.profile JSON), reference rows, or { from, to }, which the version's
// monitor freezes from production traffic (range.ts). The route stores the result in the
// registry (the record: validated, audited, one active) and hands it to the monitor.
import { scalarFeatures, type ScalarFeatureSpec as FeatureSpec } from "../registry/feature-schema.ts";
import { buildProfile } from "../../stats/profile/build.ts";
import { readProfile } from "../../stats/profile/io.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { segmentProfilesFromRows } from "./segment-profiles.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { objectBody } from "../ingest/parse-body.ts";
import { readBodyText } from "../ingest/read-body.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";
import type { UploadSummary } from "./profile-upload.ts";
import { freezeRange, isRangeBody, type FrozenRange } from "./range.ts";
import type { UploadFormat } from "./read-upload.ts";
import { isJsonArray, profileJsonArray, profileStreamedUpload, uploadLabels, uploadNote, type ProfiledUpload } from "./upload.ts";

export interface BaselineInput {
  /** The profile to store and score against. */
  profile: Record<string, unknown>;
  name: string;
  note?: string;
  /** With `{ from, to }`: the range actually covered. */
  range?: FrozenRange["range"];
  /** With a raw dataset: what was profiled. */
  dataset?: UploadSummary;
  /** With a raw dataset: a sample of its rows for the monitor's multivariate scores. */
  jointRows?: ProfiledUpload["jointRows"];
  /** A JSON object body's `signature` (unparsed): activating the baseline may need one (workers/signatures/). */
  signature?: unknown;
  /** `{ rows }` whose rows carry segments: a profile per segment with enough rows (segment-profiles.ts). */
  segmentProfiles?: Record<string, Profile>;
}

/** Reads and profiles the body (its format already taken from Content-Type); 4xx names what is wrong. */
export async function readBaselineInput(request: Request, format: UploadFormat, record: ModelVersionRecord, env: Bindings, now: number): Promise<BaselineInput> {
  let profile: unknown;
  let frozen: FrozenRange | undefined;
  let upload: ProfiledUpload | undefined;
  let labels: { name?: unknown; note?: unknown };
  let signature: unknown;
  let segmentProfiles: Record<string, Profile> | undefined;
  const query = () => uploadLabels(new URL(request.url).searchParams);
  if (format !== "json") {
    labels = query();
    upload = await profileStreamedUpload(request, format, scalarFeatures(record.featureSchema));
  } else {
    const text = await readBodyText(request);
    if (isJsonArray(text)) {
      labels = query();
      upload = profileJsonArray(text, scalarFeatures(record.featureSchema));
    } else {
      const { signature: signed, ...body } = objectBody(text);
      signature = signed;
      labels = body;
      if (isRangeBody(body)) frozen = await freezeRange(env, record.orgId, record.model, record.version, body, now);
      else {
        profile = profileFromObject(body, scalarFeatures(record.featureSchema));
        if (Array.isArray(body.rows)) segmentProfiles = rowSegmentProfiles(body.rows, scalarFeatures(record.featureSchema));
      }
    }
  }
  profile = frozen?.profile ?? upload?.profile ?? profile;
  const name = frozen?.name ?? (typeof labels.name === "string" && labels.name.trim() ? labels.name.trim() : `upload ${new Date().toISOString()}`);
  const userNote = typeof labels.note === "string" && labels.note.trim() ? labels.note.trim() : undefined;
  const note = frozen?.note ?? (upload ? uploadNote(upload.summary, userNote) : userNote);
  return {
    profile: profile as Record<string, unknown>,
    name,
    ...(note ? { note } : {}),
    ...(frozen ? { range: frozen.range } : {}),
    ...(upload ? { dataset: upload.summary, jointRows: upload.jointRows } : {}),
    ...(signature !== undefined ? { signature } : {}),
    ...(segmentProfiles && Object.keys(segmentProfiles).length > 0 ? { segmentProfiles } : {}),
  };
}

/** Per-segment profiles of `{ rows }` (none when no row has a segment); 400 names a malformed segment. */
function rowSegmentProfiles(raw: unknown[], schema: FeatureSpec[]): Record<string, Profile> {
  const rows = raw.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null && !Array.isArray(r));
  try {
    return segmentProfilesFromRows(rows, schema, rows.some((r) => r.prediction !== undefined));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "invalid_baseline", (error as Error).message);
  }
}

/** `{ profile }` or `{ rows }`: the profile to store. 400 names what is wrong. */
function profileFromObject(body: Record<string, unknown>, schema: FeatureSpec[]): unknown {
  try {
    if (body.profile !== undefined) return readProfile(body.profile);
    if (Array.isArray(body.rows)) {
      const rows = body.rows.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null && !Array.isArray(r));
      if (rows.length === 0) throw new ApiError(400, "validation_failed", "rows: must hold at least one object", [{ field: "rows", error: "empty" }]);
      const hasPrediction = rows.some((r) => r.prediction !== undefined);
      return buildProfile(rows, {
        features: schema.map((f) => ({ name: f.name, kind: f.kind })),
        ...(hasPrediction ? { prediction: "prediction" } : {}),
        createdAt: new Date().toISOString(),
      });
    }
    throw new ApiError(400, "validation_failed", 'body must hold "profile", "rows" or "from" and "to"', [{ field: "(body)", error: 'expected "profile", "rows" or "from" and "to"' }]);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "invalid_baseline", (error as Error).message);
  }
}
