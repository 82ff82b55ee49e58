import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, asObject, bool, literal, nullable, num, object, record, str, unknownValue, withDefault, type Parser } from "./parse.ts";

// The compliance contract (issue 15): electronic signatures (workers/routes/policies.ts,
// signatures.ts, and the `signature` field of promote / PATCH version / baseline activation),
// retention (GET/PUT /v1/retention, PUT /v1/models/{model}/retention, POST /v1/retention/run)
// and erasure requests (workers/routes/erasure.ts).

export type SignedAction = "production_promotion" | "baseline_change" | "threshold_change";
export const SIGNED_ACTIONS: readonly SignedAction[] = ["production_promotion", "baseline_change", "threshold_change"];
export const ACTION_LABELS: Record<SignedAction, string> = {
  production_promotion: "Promotion to production",
  baseline_change: "Baseline change",
  threshold_change: "Threshold change",
};

export type Meaning = "approved" | "reviewed" | "responsible";
export const MEANINGS: readonly Meaning[] = ["approved", "reviewed", "responsible"];
export interface SignatureInput {
  password: string;
  meaning: Meaning;
}

export interface ActionRule {
  required: boolean;
  approvals: number;
}
export type SignaturePolicy = Record<SignedAction, ActionRule>;

const parseRule = object({ required: bool, approvals: num });
const parsePolicy: Parser<SignaturePolicy & { updatedAt: string | null }> = (v, p) => {
  const o = object({ production_promotion: parseRule, baseline_change: parseRule, threshold_change: parseRule, updated_at: withDefault(nullable(str), null) })(v, p);
  return { production_promotion: o.production_promotion, baseline_change: o.baseline_change, threshold_change: o.threshold_change, updatedAt: o.updated_at };
};

export interface Signature {
  id: string;
  action: SignedAction;
  targetType: string;
  targetId: string;
  signer: { name: string; email: string };
  meaning: Meaning;
  signedAt: string;
  recordSha256: string;
  auditId: number;
}

const parseAction = literal("production_promotion", "baseline_change", "threshold_change");
const parseMeaning = literal("approved", "reviewed", "responsible");

export const parseSignature: Parser<Signature> = (v, p) => {
  const o = object({
    id: str, action: parseAction, target_type: str, target_id: str, signer: object({ name: str, email: str }), meaning: parseMeaning, signed_at: str, record_sha256: str, audit_id: num,
  })(v, p);
  return { id: o.id, action: o.action, targetType: o.target_type, targetId: o.target_id, signer: o.signer, meaning: o.meaning, signedAt: o.signed_at, recordSha256: o.record_sha256, auditId: o.audit_id };
};

export interface Approval {
  id: string;
  action: SignedAction;
  targetType: string;
  targetId: string;
  model: string;
  version: string;
  record: Record<string, unknown>;
  recordSha256: string;
  approvalsRequired: number;
  status: "pending" | "applied" | "superseded";
  createdAt: string;
  signatures: Signature[];
}

export const parseApproval: Parser<Approval> = (v, p) => {
  const o = object({
    id: str, action: parseAction, target_type: str, target_id: str, model: str, version: str, record: record(unknownValue), record_sha256: str,
    approvals_required: num, status: literal("pending", "applied", "superseded"), created_at: str, signatures: array(parseSignature),
  })(v, p);
  return {
    id: o.id, action: o.action, targetType: o.target_type, targetId: o.target_id, model: o.model, version: o.version, record: o.record, recordSha256: o.record_sha256,
    approvalsRequired: o.approvals_required, status: o.status, createdAt: o.created_at, signatures: o.signatures,
  };
};

/** What a signed write answered: done, or signed and waiting for more signers (202). */
export type SignedOutcome = { state: "done" } | { state: "pending"; approval: Approval };
const parseOutcome: Parser<SignedOutcome> = (v, p = "") => {
  const o = asObject(v, p);
  return o.status === "pending_approval" ? { state: "pending", approval: parseApproval(o.approval, "approval") } : { state: "done" };
};

const enc = encodeURIComponent;

export function getSignaturePolicy(api: ApiClient, signal?: AbortSignal) {
  return api.get("/v1/policies/signatures", parsePolicy, signal);
}

export function putSignaturePolicy(api: ApiClient, policy: SignaturePolicy) {
  return api.send("PUT", "/v1/policies/signatures", policy, parsePolicy);
}

export function listApprovals(api: ApiClient, query: { status?: string; targetId?: string }, signal?: AbortSignal): Promise<Page<Approval>> {
  const q = new URLSearchParams({ limit: "100", order: "desc" });
  if (query.status) q.set("status", query.status);
  if (query.targetId) q.set("target_id", query.targetId);
  return api.get(`/v1/approvals?${q}`, page(parseApproval, "items"), signal);
}

export function listSignatures(api: ApiClient, target: { type: string; id: string } | null, signal?: AbortSignal): Promise<Page<Signature>> {
  const q = new URLSearchParams({ limit: "100", order: "desc" });
  if (target) (q.set("target_type", target.type), q.set("target_id", target.id));
  return api.get(`/v1/signatures?${q}`, page(parseSignature, "items"), signal);
}

/** POST …/promote to production, with a signature when given. */
export function promoteToProduction(api: ApiClient, model: string, version: string, signature?: SignatureInput): Promise<SignedOutcome> {
  return api.send("POST", `/v1/models/${enc(model)}/versions/${enc(version)}/promote`, { stage: "production", ...(signature ? { signature } : {}) }, parseOutcome);
}

/** Signs a pending approval by repeating its change with a signature: the server recomputes the record and counts the signature only if it hashes the same. */
export function signApproval(api: ApiClient, approval: Approval, signature: SignatureInput): Promise<SignedOutcome> {
  const base = `/v1/models/${enc(approval.model)}/versions/${enc(approval.version)}`;
  switch (approval.action) {
    case "production_promotion":
      return promoteToProduction(api, approval.model, approval.version, signature);
    case "threshold_change":
      return api.send("PATCH", base, { thresholds: approval.record.thresholds, signature }, parseOutcome);
    case "baseline_change":
      return api.send("POST", `${base}/baselines/${enc(String(approval.record.baseline_id))}/activate`, { signature }, parseOutcome);
  }
}

// Retention: the contract. GET answers the six day counts (and may say more).
export const RETENTION_FIELDS = ["raw_events_days", "labels_days", "aggregates_days", "outcomes_days", "deliveries_days", "audit_days"] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];
export const MODEL_RETENTION_FIELDS = ["raw_events_days", "labels_days", "aggregates_days", "outcomes_days"] as const;
export type ModelRetentionField = (typeof MODEL_RETENTION_FIELDS)[number];
export const RETENTION_LABELS: Record<RetentionField, string> = {
  raw_events_days: "Raw events",
  labels_days: "Labels (actuals)",
  aggregates_days: "Aggregates",
  outcomes_days: "Business outcomes",
  deliveries_days: "Alert deliveries",
  audit_days: "Audit log",
};
export type Retention = Record<RetentionField, number>;

const parseRetention: Parser<Retention> = (v, p) => object(Object.fromEntries(RETENTION_FIELDS.map((f) => [f, num])) as Record<RetentionField, Parser<number>>)(v, p);

export function getRetention(api: ApiClient, signal?: AbortSignal) {
  return api.get("/v1/retention", parseRetention, signal);
}

export function putRetention(api: ApiClient, days: Retention) {
  return api.send("PUT", "/v1/retention", days, parseRetention);
}

/** Per-model overrides; null clears one (the org's value applies again). */
export function putModelRetention(api: ApiClient, model: string, days: Partial<Record<ModelRetentionField, number | null>>) {
  return api.send("PUT", `/v1/models/${enc(model)}/retention`, days, unknownValue);
}

export function runRetention(api: ApiClient) {
  return api.send("POST", "/v1/retention/run", {}, object({ removed: record(num) }));
}

// Erasure requests.
export interface ErasureRequest {
  id: string;
  status: "pending" | "running" | "done" | "failed";
  model: string | null;
  requestedAt: string;
  completedAt: string | null;
  removed: Record<string, number>;
  certificate: { sha256: string; document: Record<string, unknown> } | null;
  error: string | null;
}

const parseErasure: Parser<ErasureRequest> = (v, p) => {
  const o = object({
    id: str, status: literal("pending", "running", "done", "failed"), model: withDefault(nullable(str), null), requested_at: str, completed_at: withDefault(nullable(str), null),
    removed: withDefault(record(num), {}), certificate: withDefault(nullable(object({ sha256: str, document: record(unknownValue) })), null), error: withDefault(nullable(str), null),
  })(v, p);
  return { id: o.id, status: o.status, model: o.model, requestedAt: o.requested_at, completedAt: o.completed_at, removed: o.removed, certificate: o.certificate, error: o.error };
};

export function listErasures(api: ApiClient, signal?: AbortSignal): Promise<Page<ErasureRequest>> {
  return api.get("/v1/erasure?limit=100&order=desc", page(parseErasure, "items"), signal);
}

export function requestErasure(api: ApiClient, body: { subject_id: string; model?: string }) {
  return api.send("POST", "/v1/erasure", body, object({ id: str, status: str }));
}
