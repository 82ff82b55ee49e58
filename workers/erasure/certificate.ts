// The erasure certificate: a JSON document saying what was asked (as digests), by whom,
// when, and what each store removed, hashed over its canonical JSON (sorted keys, as the
// audit chain hashes entries) so anyone holding the document can recompute the hash that
// the audit log records.
import { canonicalJson } from "../audit/hash.ts";

export const CERTIFICATE_TYPE = "vigil.erasure_certificate";
export const CERTIFICATE_VERSION = 1;

export interface CertificateInput {
  requestId: string;
  orgId: string;
  generator: string;
  target: Record<string, unknown>;
  requestedBy: { type: string; id: string };
  requestedAt: Date;
  startedAt: Date | null;
  completedAt: Date;
  removed: Record<string, number>;
  monitors: { model: string; version: string; removed: Record<string, number> }[];
}

export function certificateDocument(i: CertificateInput): Record<string, unknown> {
  return {
    type: CERTIFICATE_TYPE,
    version: CERTIFICATE_VERSION,
    generator: i.generator,
    request_id: i.requestId,
    org_id: i.orgId,
    request: i.target,
    requested_by: i.requestedBy,
    requested_at: i.requestedAt.toISOString(),
    started_at: i.startedAt?.toISOString() ?? null,
    completed_at: i.completedAt.toISOString(),
    removed: i.removed,
    monitors: i.monitors,
    retained: "Aggregates only: counts, moments, histogram bins, category counts and KLL sketches per minute and hour, and the baseline profile; none holds a prediction id or subject id (docs/compliance.md, Erasure).",
  };
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const certificateSha256 = (document: Record<string, unknown>): Promise<string> => sha256Hex(canonicalJson(document));

/** What was asked, without the ids themselves: SHA-256 of the subject id, or of each prediction id. */
export async function targetDigest(body: { subject_id?: string; prediction_ids?: readonly string[]; model?: string }): Promise<Record<string, unknown>> {
  const model = body.model ?? null;
  if (body.subject_id !== undefined) return { kind: "subject", subject_sha256: await sha256Hex(body.subject_id), model };
  const ids = [...new Set(body.prediction_ids ?? [])];
  return { kind: "prediction_ids", count: ids.length, prediction_ids_sha256: await Promise.all(ids.map(sha256Hex)), model };
}
