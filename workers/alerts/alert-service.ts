// Alerts as the API shows and changes them: list (within the caller's reach), read
// with activity, acknowledge and resolve. Each alert is checked against the caller's
// reach on its model (alerts/access.ts). A change runs in one transaction with its
// activity, audit record and queued notifications (lifecycle.ts), then wakes the org's
// dispatcher so channels hear of it. The routes (routes/alerts.ts) only parse and answer.
import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { AuditActor } from "../audit/record.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { alertActivity, alerts } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { alertScopeFilter, requireModelAccess } from "./access.ts";
import type { Alert, AlertQuery, AlertWithActivity } from "./alert-schema.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { parseUuid } from "./input-errors.ts";
import { acknowledgeAlert, resolveAlert } from "./lifecycle.ts";
import { snapshotOf, type AlertRow } from "./snapshot.ts";

type AlertJson = z.infer<typeof Alert>;

function alertView(row: AlertRow): AlertJson {
  return { ...snapshotOf(row), acknowledged_by: row.acknowledgedBy, resolved_by: row.resolvedBy, last_fired_at: row.lastFiredAt.toISOString() };
}

/** The alert when the caller may `scope` it; 404 for another org's alert or one outside the caller's reach. */
export async function loadAlert(db: Queryable, p: Principal, id: string, scope: ApiKeyScope): Promise<AlertRow> {
  const [row] = await db.select().from(alerts).where(and(eq(alerts.id, parseUuid(id, "alert")), eq(alerts.orgId, p.orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `alert ${id} not found`);
  await requireModelAccess(db, p, row.modelId, scope, `alert ${id}`);
  return row;
}

/** Newest first; a key limited to a project or model sees only its alerts. */
export async function listAlerts(db: Queryable, p: Principal, q: z.infer<typeof AlertQuery>): Promise<AlertJson[]> {
  const where: SQL[] = [eq(alerts.orgId, p.orgId)];
  if (q.model) where.push(eq(alerts.model, q.model));
  if (q.version) where.push(eq(alerts.version, q.version));
  if (q.status) where.push(eq(alerts.status, q.status));
  if (q.severity) where.push(eq(alerts.severity, q.severity));
  if (q.from) where.push(gte(alerts.openedAt, new Date(q.from)));
  if (q.to) where.push(lte(alerts.openedAt, new Date(q.to)));
  const limited = alertScopeFilter(db, p);
  if (limited) where.push(limited);
  const rows = await db.select().from(alerts).where(and(...where)).orderBy(desc(alerts.openedAt)).limit(q.limit);
  return rows.map(alertView);
}

export async function getAlert(db: Queryable, p: Principal, id: string): Promise<z.infer<typeof AlertWithActivity>> {
  const row = await loadAlert(db, p, id, "read");
  const act = await db.select().from(alertActivity).where(eq(alertActivity.alertId, row.id)).orderBy(asc(alertActivity.id));
  const activity = act.map((a) => ({ at: a.at.toISOString(), action: a.action, from_status: a.fromStatus, to_status: a.toStatus, actor_type: a.actorType, actor_id: a.actorId, note: a.note }));
  return { ...alertView(row), activity };
}

/**
 * Acknowledge and resolve share one path: check the caller may write the alert, apply
 * the lifecycle change with its optional note in a transaction, then wake the org's
 * dispatcher.
 */
async function changeAlert(db: Queryable, p: Principal, actor: AuditActor, rawId: string, note: string | undefined, ctx: DeliveryContext, change: typeof acknowledgeAlert): Promise<AlertJson> {
  const id = parseUuid(rawId, "alert");
  await loadAlert(db, p, id, "write");
  const row = await db.transaction((tx) => change(tx, p.orgId, id, actor, note ?? null, { base: ctx.base }));
  ctx.kick(p.orgId);
  return alertView(row);
}

export function acknowledge(db: Queryable, p: Principal, actor: AuditActor, id: string, note: string | undefined, ctx: DeliveryContext): Promise<AlertJson> {
  return changeAlert(db, p, actor, id, note, ctx, acknowledgeAlert);
}

export function resolve(db: Queryable, p: Principal, actor: AuditActor, id: string, note: string | undefined, ctx: DeliveryContext): Promise<AlertJson> {
  return changeAlert(db, p, actor, id, note, ctx, resolveAlert);
}
