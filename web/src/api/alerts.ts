import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, asObject, nullable, num, object, optional, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export type AlertStatus = "open" | "acknowledged" | "resolved";
export type Severity = "info" | "warning" | "critical";

export interface AlertEvent {
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
  status: AlertStatus;
  severity: Severity;
  summary: string;
  openedAt: string;
  updatedAt: string | null;
  history: AlertEvent[];
}

export interface Delivery {
  id: string;
  channel: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  at: string | null;
}

function oneOf<T extends string>(options: readonly T[], fallback: T): Parser<T> {
  return (v) => (typeof v === "string" && (options as readonly string[]).includes(v) ? (v as T) : fallback);
}

const parseEvent: Parser<AlertEvent> = (v, p) => {
  const o = object({ at: str, action: withDefault(str, ""), actor: withDefault(str, ""), note: nullable(str) })(v, p);
  return o;
};

export const parseAlert: Parser<Alert> = (v, p) => {
  const raw = asObject(v, p);
  const o = object({
    id: (x, q) => String(typeof x === "number" ? x : str(x, q)),
    model: str,
    version: withDefault(str, ""),
    rule: withDefault((x, q) => (typeof x === "object" && x !== null ? str((x as Record<string, unknown>).name ?? (x as Record<string, unknown>).kind, q) : str(x, q)), ""),
    status: oneOf(["open", "acknowledged", "resolved"] as const, "open"),
    severity: oneOf(["info", "warning", "critical"] as const, "warning"),
    summary: withDefault(str, ""),
    opened_at: withDefault(str, ""),
    updated_at: optional(str),
    history: withDefault(array(parseEvent), []),
  })(raw, p);
  return {
    id: o.id,
    model: o.model,
    version: o.version,
    rule: o.rule,
    status: o.status,
    severity: o.severity,
    summary: o.summary || (typeof raw.message === "string" ? raw.message : ""),
    openedAt: o.opened_at || (typeof raw.created_at === "string" ? raw.created_at : ""),
    updatedAt: o.updated_at ?? null,
    history: o.history,
  };
};

const parseDelivery: Parser<Delivery> = (v, p) => {
  const o = object({
    id: (x, q) => String(typeof x === "number" ? x : str(x, q)),
    channel: withDefault((x, q) => (typeof x === "object" && x !== null ? str((x as Record<string, unknown>).name, q) : str(x, q)), ""),
    status: withDefault(str, ""),
    attempts: withDefault(num, 0),
    response_code: nullable(num),
    latency_ms: nullable(num),
    created_at: optional(str),
  })(v, p);
  return { id: o.id, channel: o.channel, status: o.status, attempts: o.attempts, responseCode: o.response_code, latencyMs: o.latency_ms, at: o.created_at ?? null };
};

export interface AlertFilter {
  status?: AlertStatus | "";
  severity?: Severity | "";
  model?: string;
}

export function listAlerts(api: ApiClient, filter: AlertFilter, signal?: AbortSignal): Promise<Page<Alert>> {
  const q = new URLSearchParams();
  if (filter.status) q.set("status", filter.status);
  if (filter.severity) q.set("severity", filter.severity);
  if (filter.model) q.set("model", filter.model);
  const qs = q.toString();
  return api.get(`/v1/alerts${qs ? `?${qs}` : ""}`, page(parseAlert), signal);
}

export function acknowledgeAlert(api: ApiClient, id: string, note: string): Promise<unknown> {
  return api.send("POST", `/v1/alerts/${encodeURIComponent(id)}/ack`, note ? { note } : {}, unknownValue);
}

export function resolveAlert(api: ApiClient, id: string, note: string): Promise<unknown> {
  return api.send("POST", `/v1/alerts/${encodeURIComponent(id)}/resolve`, note ? { note } : {}, unknownValue);
}

export function listDeliveries(api: ApiClient, id: string, signal?: AbortSignal): Promise<Page<Delivery>> {
  return api.get(`/v1/alerts/${encodeURIComponent(id)}/deliveries`, page(parseDelivery), signal);
}
