// The channel-neutral notification, built once when a delivery is queued and stored
// with it, so every retry (and a manual redelivery) sends the same content. The
// generic webhook sends it as is; the other kinds render it for their vendor.
import type { FeatureEvidence } from "../../durable/alerts/evidence.ts";
import type { Severity } from "../../durable/alerts/rules.ts";

export type NotificationType = "alert.opened" | "alert.acknowledged" | "alert.resolved" | "retrain.requested" | "report.ready" | "test";

export interface AlertSnapshot {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  severity: Severity;
  model: string;
  version: string;
  rule: { id: string | null; name: string; kind: string };
  window: string;
  summary: string;
  value: number | null;
  threshold: number | null;
  features: FeatureEvidence[];
  window_from: string | null;
  window_to: string | null;
  baseline: string | null;
  opened_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  fire_count: number;
}

/** A scheduled report, as its `report.ready` notification names it (workers/reports/schedules/deliver.ts). */
export interface ReportSnapshot {
  id: string;
  title: string;
  kind: string;
  format: string;
  schedule: { id: string; name: string };
  model: string | null;
  version: string | null;
  project: string | null;
  from: string;
  to: string;
  generated_at: string;
  /** SHA-256 of the file's bytes (also in the report's audit record) and of its content. */
  sha256: string;
  content_sha256: string;
  size_bytes: number;
  file_name: string;
  /** GET it with an API key of the org (read on the report's scope). */
  download_url: string;
}

export interface Notification {
  /** Unique per notification; with the channel it makes the delivery's idempotency key. */
  id: string;
  type: NotificationType;
  created_at: string;
  alert: AlertSnapshot | null;
  /** Who caused it: "system" for the evaluator, otherwise the API key or user. */
  actor: string;
  note: string | null;
  links: { alert: string | null; dashboard: string };
  /** Set on `report.ready` only. */
  report?: ReportSnapshot;
}

export interface ChannelTarget {
  id: string;
  name: string;
  kind: "webhook" | "slack" | "pagerduty" | "teams" | "retrain";
  config: Record<string, unknown>;
  secret: string | null;
}

/** What goes on the wire for one attempt. */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function headline(n: Notification): string {
  if (n.report) return `Vigil report: ${n.report.title}`;
  const a = n.alert;
  if (!a) return `Vigil test notification (${n.id})`;
  const verb = n.type === "alert.resolved" ? "Resolved" : n.type === "alert.acknowledged" ? "Acknowledged" : n.type === "retrain.requested" ? "Retraining requested" : a.severity.toUpperCase();
  return `[${verb}] ${a.rule.name} on ${a.model} ${a.version}`;
}

export function scoreLines(a: AlertSnapshot, max = 5): string[] {
  return a.features.slice(0, max).map((f) => `${f.feature}: ${f.method ?? "score"} ${round(f.score)} (threshold ${round(f.threshold)})`);
}

export function round(x: number): string {
  return String(Number(x.toPrecision(4)));
}
