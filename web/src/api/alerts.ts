import type { ApiClient } from "./client.ts";
import { array, literal, nullable, num, object, str, unknownValue, type Parser } from "./parse.ts";

// The alerts contract of workers/routes/alerts.ts (GET /v1/alerts, /v1/alerts/:id, ack, resolve, deliveries).

export type AlertStatus = "open" | "acknowledged" | "resolved";
export type Severity = "info" | "warning" | "critical";

export interface AlertActivity {
  at: string;
  action: string;
  actor: string;
  note: string | null;
}

export interface Alert {
  id: string;
  model: string;
  version: string;
  rule: string;
  ruleKind: string;
  window: string;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  value: number | null;
  threshold: number | null;
  features: { feature: string; method: string; score: number; threshold: number }[];
  openedAt: string;
  lastFiredAt: string;
  fireCount: number;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
}

export interface Delivery {
  id: string;
  channelId: string;
  event: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  error: string | null;
  at: string;
}

const status = literal("open", "acknowledged", "resolved");
const severity = literal("info", "warning", "critical");

export const parseAlert: Parser<Alert> = (v, p) => {
  const o = object({
    id: str,
    status,
    severity,
    model: str,
    version: str,
    rule: object({ name: str, kind: str }),
    window: str,
    summary: str,
    value: nullable(num),
    threshold: nullable(num),
    features: array(object({ feature: str, method: (x) => (typeof x === "string" ? x : ""), score: num, threshold: num })),
    opened_at: str,
    last_fired_at: str,
    fire_count: num,
    acknowledged_by: nullable(str),
    resolved_by: nullable(str),
  })(v, p);
  return {
    id: o.id,
    model: o.model,
    version: o.version,
    rule: o.rule.name,
    ruleKind: o.rule.kind,
    window: o.window,
    status: o.status,
    severity: o.severity,
    summary: o.summary,
    value: o.value,
    threshold: o.threshold,
    features: o.features,
    openedAt: o.opened_at,
    lastFiredAt: o.last_fired_at,
    fireCount: o.fire_count,
    acknowledgedBy: o.acknowledged_by,
    resolvedBy: o.resolved_by,
  };
};

const parseActivity: Parser<AlertActivity> = (v, p) => {
  const o = object({ at: str, action: str, actor_type: str, actor_id: str, note: nullable(str) })(v, p);
  return { at: o.at, action: o.action, actor: o.actor_type === "system" ? "system" : `${o.actor_type} ${o.actor_id}`, note: o.note };
};

const parseDelivery: Parser<Delivery> = (v, p) => {
  const o = object({
    id: str,
    channel_id: str,
    event: str,
    status: str,
    attempts: num,
    last_status_code: nullable(num),
    last_latency_ms: nullable(num),
    last_error: nullable(str),
    created_at: str,
  })(v, p);
  return { id: o.id, channelId: o.channel_id, event: o.event, status: o.status, attempts: o.attempts, responseCode: o.last_status_code, latencyMs: o.last_latency_ms, error: o.last_error, at: o.created_at };
};

export interface AlertFilter {
  status?: AlertStatus | "";
  severity?: Severity | "";
  model?: string;
  version?: string;
}

export function listAlerts(api: ApiClient, filter: AlertFilter, signal?: AbortSignal): Promise<Alert[]> {
  const q = new URLSearchParams();
  if (filter.status) q.set("status", filter.status);
  if (filter.severity) q.set("severity", filter.severity);
  if (filter.model) q.set("model", filter.model);
  if (filter.version) q.set("version", filter.version);
  const qs = q.toString();
  return api.get(`/v1/alerts${qs ? `?${qs}` : ""}`, (v) => object({ alerts: array(parseAlert) })(v).alerts, signal);
}

export function getAlert(api: ApiClient, id: string, signal?: AbortSignal): Promise<{ alert: Alert; activity: AlertActivity[] }> {
  return api.get(`/v1/alerts/${encodeURIComponent(id)}`, (v) => ({ alert: parseAlert(v), activity: object({ activity: array(parseActivity) })(v).activity }), signal);
}

export function acknowledgeAlert(api: ApiClient, id: string, note: string): Promise<unknown> {
  return api.send("POST", `/v1/alerts/${encodeURIComponent(id)}/ack`, note ? { note } : {}, unknownValue);
}

export function resolveAlert(api: ApiClient, id: string, note: string): Promise<unknown> {
  return api.send("POST", `/v1/alerts/${encodeURIComponent(id)}/resolve`, note ? { note } : {}, unknownValue);
}

export function listDeliveries(api: ApiClient, id: string, signal?: AbortSignal): Promise<Delivery[]> {
  return api.get(`/v1/alerts/${encodeURIComponent(id)}/deliveries`, (v) => object({ deliveries: array(parseDelivery) })(v).deliveries, signal);
}
