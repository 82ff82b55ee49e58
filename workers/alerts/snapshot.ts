// Alert rows → the channel-neutral notification (workers/channels/notification.ts).
import type { FeatureEvidence } from "../../durable/alerts/evidence.ts";
import type { Severity } from "../../durable/alerts/rules.ts";
import type { AlertSnapshot, Notification, NotificationType } from "../channels/notification.ts";
import type { alerts } from "../db/schema/index.ts";
import { actorLabel, type Actor } from "./actor.ts";

export type AlertRow = typeof alerts.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function snapshotOf(row: AlertRow): AlertSnapshot {
  const e = (row.evidence ?? {}) as Record<string, unknown>;
  const from = num(e.from);
  const to = num(e.to);
  return {
    id: row.id,
    status: row.status as AlertSnapshot["status"],
    severity: row.severity as Severity,
    model: row.model,
    version: row.version,
    rule: { id: row.ruleId, name: row.ruleName, kind: row.ruleKind },
    window: row.window,
    summary: row.summary,
    value: num(e.value),
    threshold: num(e.threshold),
    features: Array.isArray(e.features) ? (e.features as FeatureEvidence[]) : [],
    window_from: from === null ? null : new Date(from).toISOString(),
    window_to: to === null ? null : new Date(to).toISOString(),
    baseline: typeof e.baseline === "string" ? e.baseline : null,
    opened_at: row.openedAt.toISOString(),
    acknowledged_at: iso(row.acknowledgedAt),
    resolved_at: iso(row.resolvedAt),
    fire_count: row.fireCount,
  };
}

export function publicBase(url: string | undefined): string {
  return (url || "http://127.0.0.1:8787").replace(/\/$/, "");
}

export function linksFor(base: string, row: { id: string; model: string; version: string } | null) {
  if (!row) return { alert: null, dashboard: `${base}/` };
  return {
    alert: `${base}/alerts/${row.id}`,
    dashboard: `${base}/models/${encodeURIComponent(row.model)}/versions/${encodeURIComponent(row.version)}`,
  };
}

export function notificationFor(type: NotificationType, row: AlertRow, opts: { id: string; actor: Actor; note?: string | null; base: string; at?: Date }): Notification {
  return {
    id: opts.id,
    type,
    created_at: (opts.at ?? new Date()).toISOString(),
    alert: snapshotOf(row),
    actor: actorLabel(opts.actor),
    note: opts.note ?? null,
    links: linksFor(opts.base, row),
  };
}

export function testNotification(id: string, actor: Actor, base: string): Notification {
  return { id, type: "test", created_at: new Date().toISOString(), alert: null, actor: actorLabel(actor), note: null, links: linksFor(base, null) };
}
