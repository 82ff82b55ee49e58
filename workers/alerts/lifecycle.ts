// The alert lifecycle in Postgres: open → acknowledged → resolved. Evaluator events
// open, refresh and auto-resolve alerts; people acknowledge and resolve them through
// the API. Every change writes an activity row (who, what, note) and an audit entry
// (through recordAudit, so a person's change keeps its request id and IP), and queues
// its notifications, all in the caller's transaction.
import { and, eq, like, ne } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { AlertEnvelope } from "../../durable/alerts/envelope.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { NotificationType } from "../channels/notification.ts";
import { alertActivity, alertRules, alerts } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { EVALUATOR, type Actor } from "./actor.ts";
import { fanOut } from "./fanout.ts";
import { notificationFor, type AlertRow } from "./snapshot.ts";

type AnyPg = PgDatabase<PgQueryResultHKT, any, any>;

export interface LifecycleContext {
  /** Public base URL for links in notifications. */
  base: string;
}

async function recordActivity(db: AnyPg, row: AlertRow, a: { action: string; from: string | null; to: string; actor: Actor; note?: string | null; eventId?: string }) {
  await db.insert(alertActivity).values({
    alertId: row.id, eventId: a.eventId ?? null, action: a.action, fromStatus: a.from, toStatus: a.to,
    actorType: a.actor.type, actorId: a.actor.id, note: a.note ?? null,
  });
}

async function notify(db: AnyPg, type: NotificationType, row: AlertRow, actor: Actor, note: string | null, id: string, ctx: LifecycleContext) {
  await fanOut(db, row.orgId, notificationFor(type, row, { id, actor, note, base: ctx.base }));
}

async function alreadyApplied(db: AnyPg, eventId: string): Promise<boolean> {
  const [hit] = await db.select({ id: alertActivity.id }).from(alertActivity).where(eq(alertActivity.eventId, eventId)).limit(1);
  return hit !== undefined;
}

/** Applies one evaluator event; a replayed event (same id) changes nothing. */
export async function applyEvaluatorEvent(db: AnyPg, env: AlertEnvelope, ctx: LifecycleContext): Promise<{ alertId: string | null; change: "opened" | "refreshed" | "resolved" | "ignored" }> {
  const { scope, event } = env;
  if (await alreadyApplied(db, event.id)) return { alertId: null, change: "ignored" };
  const [open] = await db
    .select()
    .from(alerts)
    // By firing id prefix rather than rule_id, which is null once the rule is deleted.
    .where(and(eq(alerts.orgId, scope.orgId), like(alerts.firingId, `${event.ruleId}@%`), eq(alerts.model, scope.model), eq(alerts.version, scope.version), ne(alerts.status, "resolved")))
    .for("update")
    .limit(1);
  const evidence = event.evidence as unknown as Record<string, unknown> | null;
  const summary = event.evidence?.summary ?? event.ruleName;
  const at = new Date(event.at);

  if (event.type === "resolved") {
    if (!open || open.firingId !== event.firingId) return { alertId: null, change: "ignored" };
    const [row] = await db.update(alerts).set({ status: "resolved", resolvedAt: at, resolvedBy: "system:auto-resolve" }).where(eq(alerts.id, open.id)).returning();
    await recordActivity(db, row!, { action: "resolved", from: open.status, to: "resolved", actor: EVALUATOR, note: "condition cleared", eventId: event.id });
    await recordAudit(db, EVALUATOR, { orgId: scope.orgId, action: "alert.resolve", targetType: "alert", targetId: open.id, details: { auto: true, rule: event.ruleName } });
    await notify(db, "alert.resolved", row!, EVALUATOR, null, event.id, ctx);
    return { alertId: open.id, change: "resolved" };
  }

  if (open) {
    // A duplicate firing, or a refresh of a persisting condition: update, never reopen.
    await db.update(alerts).set({ fireCount: open.fireCount + 1, lastFiredAt: at, evidence, summary }).where(eq(alerts.id, open.id));
    await recordActivity(db, open, { action: "fired_again", from: open.status, to: open.status, actor: EVALUATOR, eventId: event.id });
    return { alertId: open.id, change: "refreshed" };
  }
  // An "updated" for an alert a person already resolved: the evaluator learns of it and cools down.
  if (event.type === "updated") return { alertId: null, change: "ignored" };

  const [rule] = await db.select({ id: alertRules.id }).from(alertRules).where(and(eq(alertRules.id, event.ruleId), eq(alertRules.orgId, scope.orgId))).limit(1);
  const [row] = await db
    .insert(alerts)
    .values({
      orgId: scope.orgId, ruleId: rule?.id ?? null, modelId: scope.modelId, model: scope.model, version: scope.version,
      ruleName: event.ruleName, ruleKind: event.ruleKind, severity: event.severity, window: event.window, status: "open",
      firingId: event.firingId, summary, evidence, openedAt: at, lastFiredAt: at,
    })
    .returning();
  await recordActivity(db, row!, { action: "opened", from: null, to: "open", actor: EVALUATOR, eventId: event.id });
  await recordAudit(db, EVALUATOR, { orgId: scope.orgId, action: "alert.open", targetType: "alert", targetId: row!.id, details: { rule: event.ruleName, model: scope.model, version: scope.version, severity: event.severity } });
  await notify(db, "alert.opened", row!, EVALUATOR, null, event.id, ctx);
  return { alertId: row!.id, change: "opened" };
}

async function lockAlert(db: AnyPg, orgId: string, alertId: string): Promise<AlertRow> {
  const [row] = await db.select().from(alerts).where(and(eq(alerts.id, alertId), eq(alerts.orgId, orgId))).for("update").limit(1);
  if (!row) throw new ApiError(404, "not_found", `alert ${alertId} not found`);
  return row;
}

export async function acknowledgeAlert(db: AnyPg, orgId: string, alertId: string, actor: AuditActor, note: string | null, ctx: LifecycleContext): Promise<AlertRow> {
  const cur = await lockAlert(db, orgId, alertId);
  if (cur.status !== "open") throw new ApiError(409, "conflict", `alert ${alertId} is ${cur.status}; only an open alert can be acknowledged`);
  const [row] = await db.update(alerts).set({ status: "acknowledged", acknowledgedAt: new Date(), acknowledgedBy: actor.id }).where(eq(alerts.id, alertId)).returning();
  await recordActivity(db, row!, { action: "acknowledged", from: cur.status, to: "acknowledged", actor, note });
  await recordAudit(db, actor, { orgId, action: "alert.acknowledge", targetType: "alert", targetId: alertId, ...(note ? { note } : {}) });
  await notify(db, "alert.acknowledged", row!, actor, note, `${alertId}:ack`, ctx);
  return row!;
}

export async function resolveAlert(db: AnyPg, orgId: string, alertId: string, actor: AuditActor, note: string | null, ctx: LifecycleContext): Promise<AlertRow> {
  const cur = await lockAlert(db, orgId, alertId);
  if (cur.status === "resolved") throw new ApiError(409, "conflict", `alert ${alertId} is already resolved`);
  const [row] = await db.update(alerts).set({ status: "resolved", resolvedAt: new Date(), resolvedBy: actor.id }).where(eq(alerts.id, alertId)).returning();
  await recordActivity(db, row!, { action: "resolved", from: cur.status, to: "resolved", actor, note });
  await recordAudit(db, actor, { orgId, action: "alert.resolve", targetType: "alert", targetId: alertId, ...(note ? { note } : {}) });
  await notify(db, "alert.resolved", row!, actor, note, `${alertId}:resolve`, ctx);
  return row!;
}
