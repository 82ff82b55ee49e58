// The exact records a signature is bound to (§11.70): for each signed change, the fields
// that say what was approved, as one JSON object whose canonical form (keys sorted at every
// depth, workers/audit/hash.ts) is hashed with SHA-256. A signature counts only toward an
// approval holding the same hash, so a signature given for one record can never be carried
// over to another: change the thresholds under a pending promotion and its record, hash and
// approval are new.
import { canonicalJson } from "../audit/hash.ts";
import { sha256Hex } from "../erasure/certificate.ts";
import type { SignedAction } from "./schemas.ts";

interface VersionRef {
  orgId: string;
  model: string;
  version: string;
  versionId: string;
}

export interface SignedRecord {
  action: SignedAction;
  targetType: "model_version" | "baseline";
  targetId: string;
  model: string;
  version: string;
  record: Record<string, unknown>;
}

const head = (action: SignedAction, v: VersionRef) => ({ action, org_id: v.orgId, model: v.model, version: v.version, version_id: v.versionId });

/** Promotion of a version to production: the version as it will run (its baseline and thresholds). */
export function promotionRecord(v: VersionRef, baselineId: string | null, thresholds: unknown): SignedRecord {
  return {
    action: "production_promotion", targetType: "model_version", targetId: v.versionId, model: v.model, version: v.version,
    record: { ...head("production_promotion", v), stage: "production", baseline_id: baselineId, thresholds },
  };
}

/** Making a baseline the one the version is scored against. */
export function baselineRecord(v: VersionRef, baseline: { id: string; name: string; profileSha256: string }, previousBaselineId: string | null): SignedRecord {
  return {
    action: "baseline_change", targetType: "baseline", targetId: baseline.id, model: v.model, version: v.version,
    record: { ...head("baseline_change", v), baseline_id: baseline.id, baseline_name: baseline.name, profile_sha256: baseline.profileSha256, previous_baseline_id: previousBaselineId },
  };
}

/** Replacing a version's thresholds. */
export function thresholdRecord(v: VersionRef, before: unknown, after: unknown): SignedRecord {
  return {
    action: "threshold_change", targetType: "model_version", targetId: v.versionId, model: v.model, version: v.version,
    record: { ...head("threshold_change", v), thresholds: after, previous_thresholds: before },
  };
}

export const recordSha256 = (record: Record<string, unknown>): Promise<string> => sha256Hex(canonicalJson(record));

/** Whether two JSON values are the same value (key order aside). */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);
