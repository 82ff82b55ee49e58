// Deliveries as the API shows and acts on them: an alert's deliveries with their
// attempt log, redelivering a dead letter (one attempt now, same Idempotency-Key) and
// approving a retraining trigger that waits for a person. A delivery is within the
// caller's reach when its alert's model is (a test delivery, which has no alert, only
// for callers who reach the whole org). The routes (routes/alerts.ts) only parse and answer.
import type { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/client.ts";
import type { Queryable } from "../db/queryable.ts";
import { alerts, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { requireModelAccess } from "./access.ts";
import type { Delivery } from "./alert-schema.ts";
import { loadAlert } from "./alert-service.ts";
import { attemptDelivery, type DeliveryRow } from "./deliver.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { parseUuid } from "./input-errors.ts";
import { outboundFetch } from "./outbound.ts";

type DeliveryJson = z.infer<typeof Delivery>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function deliveryViews(db: Queryable, rows: DeliveryRow[]): Promise<DeliveryJson[]> {
  const ids = rows.map((r) => r.id);
  const log = ids.length ? await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(asc(deliveryAttempts.id)) : [];
  return rows.map((r) => ({
    id: r.id, channel_id: r.channelId, alert_id: r.alertId, event: r.event, status: r.status as DeliveryJson["status"], attempts: r.attempts,
    next_attempt_at: iso(r.nextAttemptAt), last_status_code: r.lastStatusCode, last_latency_ms: r.lastLatencyMs, last_error: r.lastError,
    delivered_at: iso(r.deliveredAt), created_at: r.createdAt.toISOString(),
    log: log.filter((a) => a.deliveryId === r.id).map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), ok: a.ok, status_code: a.statusCode, latency_ms: a.latencyMs, error: a.error })),
  }));
}

async function findDelivery(db: Queryable, orgId: string, id: string): Promise<DeliveryRow> {
  const [row] = await db.select().from(deliveries).where(and(eq(deliveries.id, parseUuid(id, "delivery")), eq(deliveries.orgId, orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `delivery ${id} not found`);
  return row;
}

/** The delivery when the caller may act on it; 404 for another org's or one outside the caller's reach. */
async function loadDelivery(db: Queryable, p: Principal, id: string): Promise<DeliveryRow> {
  const row = await findDelivery(db, p.orgId, id);
  const [a] = row.alertId ? await db.select({ modelId: alerts.modelId }).from(alerts).where(eq(alerts.id, row.alertId)).limit(1) : [];
  await requireModelAccess(db, p, a?.modelId ?? null, "write", `delivery ${id}`);
  return row;
}

async function viewOne(db: Queryable, orgId: string, id: string): Promise<DeliveryJson> {
  const [view] = await deliveryViews(db, [await findDelivery(db, orgId, id)]);
  return view!;
}

export async function alertDeliveries(db: Queryable, p: Principal, alertId: string): Promise<DeliveryJson[]> {
  const alert = await loadAlert(db, p, alertId, "read");
  const rows = await db.select().from(deliveries).where(eq(deliveries.alertId, alert.id)).orderBy(asc(deliveries.createdAt));
  return deliveryViews(db, rows);
}

/** One attempt now, with the same Idempotency-Key; only a dead letter, so a delivered one is never sent twice. */
export async function redeliver(db: Database, p: Principal, actor: AuditActor, id: string, ctx: DeliveryContext): Promise<DeliveryJson> {
  const cur = await loadDelivery(db, p, id);
  if (cur.status !== "dead") throw new ApiError(409, "conflict", `delivery ${cur.id} is ${cur.status}; only a dead letter can be redelivered`);
  await recordAudit(db, actor, { orgId: p.orgId, action: "delivery.redeliver", targetType: "delivery", targetId: cur.id });
  const outcome = await attemptDelivery(db, cur.id, { fetch: outboundFetch, policy: ctx.policy, manual: true });
  if (!outcome) throw new ApiError(409, "conflict", `delivery ${cur.id} is being sent`);
  return viewOne(db, p.orgId, cur.id);
}

/** Releases a retraining trigger that waits for approval; the dispatcher sends it. */
export async function approveDelivery(db: Queryable, p: Principal, actor: AuditActor, id: string, ctx: DeliveryContext): Promise<DeliveryJson> {
  const cur = await loadDelivery(db, p, id);
  if (cur.status !== "awaiting_approval") throw new ApiError(409, "conflict", `delivery ${cur.id} is ${cur.status}, not awaiting approval`);
  await db.transaction(async (tx) => {
    await tx.update(deliveries).set({ status: "pending", nextAttemptAt: new Date() }).where(and(eq(deliveries.id, cur.id), eq(deliveries.status, "awaiting_approval")));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "delivery.approve", targetType: "delivery", targetId: cur.id });
  });
  ctx.kick(p.orgId);
  return viewOne(db, p.orgId, cur.id);
}
