// /v1/alerts: what fired, its lifecycle (acknowledge, resolve, with notes), and its
// deliveries; /v1/deliveries/:id/redeliver and /approve act on single deliveries.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gte, inArray, lte, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { z as zod } from "zod";
import { alertScopeFilter, requireModelAccess } from "../alerts/access.ts";
import { attemptDelivery } from "../alerts/deliver.ts";
import { acknowledgeAlert, resolveAlert } from "../alerts/lifecycle.ts";
import { errorResponses } from "../alerts/openapi-errors.ts";
import { outboundFetch } from "../alerts/outbound.ts";
import { callerActor, callerOrg, kickDispatcher, linkBase, parseUuid, urlPolicy } from "../alerts/route-context.ts";
import { snapshotOf, type AlertRow } from "../alerts/snapshot.ts";
import { appendAudit } from "../audit/append.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import { authorize } from "../auth/authenticate.ts";
import type { Principal } from "../auth/principal.ts";
import { alertActivity, alerts, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import type { Queryable } from "../db/queryable.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

const json = <T extends zod.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });
const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const tags = ["alerts"];
const STATUSES = ["open", "acknowledged", "resolved"] as const;
const SEVERITIES = ["info", "warning", "critical"] as const;

const Alert = z
  .object({
    id: z.uuid(), status: z.enum(STATUSES), severity: z.enum(SEVERITIES), model: z.string(), version: z.string(),
    rule: z.object({ id: z.string().nullable(), name: z.string(), kind: z.string() }), window: z.string(), summary: z.string(),
    value: z.number().nullable(), threshold: z.number().nullable(),
    features: z.array(z.object({ feature: z.string(), method: z.string().optional(), score: z.number(), threshold: z.number() })),
    window_from: z.string().nullable(), window_to: z.string().nullable(), baseline: z.string().nullable(),
    opened_at: z.string(), acknowledged_at: z.string().nullable(), resolved_at: z.string().nullable(), fire_count: z.number(),
    acknowledged_by: z.string().nullable(), resolved_by: z.string().nullable(), last_fired_at: z.string(),
  })
  .openapi("Alert");
const Activity = z.object({ at: z.string(), action: z.string(), from_status: z.string().nullable(), to_status: z.string(), actor_type: z.string(), actor_id: z.string(), note: z.string().nullable() }).openapi("AlertActivity");
const Attempt = z.object({ attempt: z.number(), at: z.string(), ok: z.boolean(), status_code: z.number().nullable(), latency_ms: z.number(), error: z.string().nullable() });
const Delivery = z
  .object({
    id: z.uuid().describe("also the Idempotency-Key sent"), channel_id: z.uuid(), alert_id: z.uuid().nullable(), event: z.string(),
    status: z.enum(["pending", "delivering", "delivered", "dead", "awaiting_approval"]), attempts: z.number(),
    next_attempt_at: z.string().nullable(), last_status_code: z.number().nullable(), last_latency_ms: z.number().nullable(),
    last_error: z.string().nullable(), delivered_at: z.string().nullable(), created_at: z.string(), log: z.array(Attempt),
  })
  .openapi("Delivery");
const Note = z.object({ note: z.string().max(2000).optional() }).openapi("AlertNote");

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function alertView(row: AlertRow): z.infer<typeof Alert> {
  return { ...snapshotOf(row), acknowledged_by: row.acknowledgedBy, resolved_by: row.resolvedBy, last_fired_at: row.lastFiredAt.toISOString() };
}

/**
 * Acknowledge and resolve share one path: check the caller may write the alert, apply the
 * lifecycle change with its optional note in a transaction, then wake the org's dispatcher
 * so channels hear of it.
 */
async function changeAlert(c: Context<AppEnv>, rawId: string, change: typeof acknowledgeAlert) {
  const orgId = callerOrg(c);
  const id = parseUuid(rawId, "alert");
  const note = (await c.req.json().catch(() => ({})) as { note?: unknown }).note;
  const actor = callerActor(c);
  await loadAlert(c.var.db(), c.var.principal!, id, "write");
  const row = await c.var.db().transaction((tx) => change(tx, orgId, id, actor, typeof note === "string" ? note : null, { base: linkBase(c) }));
  kickDispatcher(c, orgId);
  return alertView(row);
}

async function loadAlert(db: Queryable, p: Principal, id: string, scope: ApiKeyScope): Promise<AlertRow> {
  const [row] = await db.select().from(alerts).where(and(eq(alerts.id, parseUuid(id, "alert")), eq(alerts.orgId, p.orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `alert ${id} not found`);
  await requireModelAccess(db, p, row.modelId, scope, `alert ${id} not found`);
  return row;
}

async function deliveryViews(db: Queryable, rows: Array<typeof deliveries.$inferSelect>): Promise<Array<z.infer<typeof Delivery>>> {
  const ids = rows.map((r) => r.id);
  const log = ids.length ? await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).orderBy(asc(deliveryAttempts.id)) : [];
  return rows.map((r) => ({
    id: r.id, channel_id: r.channelId, alert_id: r.alertId, event: r.event, status: r.status as "pending", attempts: r.attempts,
    next_attempt_at: iso(r.nextAttemptAt), last_status_code: r.lastStatusCode, last_latency_ms: r.lastLatencyMs, last_error: r.lastError,
    delivered_at: iso(r.deliveredAt), created_at: r.createdAt.toISOString(),
    log: log.filter((a) => a.deliveryId === r.id).map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), ok: a.ok, status_code: a.statusCode, latency_ms: a.latencyMs, error: a.error })),
  }));
}

async function loadDelivery(db: Queryable, orgId: string, id: string, p?: Principal) {
  const [row] = await db.select().from(deliveries).where(and(eq(deliveries.id, parseUuid(id, "delivery")), eq(deliveries.orgId, orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `delivery ${id} not found`);
  if (p) {
    const [a] = row.alertId ? await db.select({ modelId: alerts.modelId }).from(alerts).where(eq(alerts.id, row.alertId)).limit(1) : [];
    await requireModelAccess(db, p, a?.modelId ?? null, "write", `delivery ${id} not found`);
  }
  return row;
}

export const alertRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "get", path: "/v1/alerts", tags, summary: "List alerts",
      description: "Newest first. `from`/`to` bound the opening time (ISO 8601).",
      middleware: [authorize({ scope: "read" })] as const,
      request: {
        query: z.object({
          model: z.string().min(1).optional(), version: z.string().min(1).optional(), status: z.enum(STATUSES).optional(), severity: z.enum(SEVERITIES).optional(),
          from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: { description: "alerts", ...json(z.object({ alerts: z.array(Alert) })) }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const where: SQL[] = [eq(alerts.orgId, callerOrg(c))];
      if (q.model) where.push(eq(alerts.model, q.model));
      if (q.version) where.push(eq(alerts.version, q.version));
      if (q.status) where.push(eq(alerts.status, q.status));
      if (q.severity) where.push(eq(alerts.severity, q.severity));
      if (q.from) where.push(gte(alerts.openedAt, new Date(q.from)));
      if (q.to) where.push(lte(alerts.openedAt, new Date(q.to)));
      const db = c.var.db();
      const limited = alertScopeFilter(db, c.var.principal!);
      if (limited) where.push(limited);
      const rows = await db.select().from(alerts).where(and(...where)).orderBy(desc(alerts.openedAt)).limit(q.limit);
      return c.json({ alerts: rows.map(alertView) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/alerts/{id}", tags, summary: "Get an alert with its activity",
      middleware: [authorize({ scope: "read" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "the alert", ...json(Alert.extend({ activity: z.array(Activity) })) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = c.var.db();
      const row = await loadAlert(db, c.var.principal!, c.req.valid("param").id, "read");
      const act = await db.select().from(alertActivity).where(eq(alertActivity.alertId, row.id)).orderBy(asc(alertActivity.id));
      const activity = act.map((a) => ({ at: a.at.toISOString(), action: a.action, from_status: a.fromStatus, to_status: a.toStatus, actor_type: a.actorType, actor_id: a.actorId, note: a.note }));
      return c.json({ ...alertView(row), activity }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/v1/alerts/{id}/ack", tags, summary: "Acknowledge an alert",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam, body: { ...json(Note), required: false } },
      responses: { 200: { description: "acknowledged", ...json(Alert) }, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await changeAlert(c, c.req.valid("param").id, acknowledgeAlert), 200),
  )
  .openapi(
    createRoute({
      method: "post", path: "/v1/alerts/{id}/resolve", tags, summary: "Resolve an alert",
      description: "Channels hear the resolution (PagerDuty gets a resolve for the same dedup_key). If the condition persists, the rule may fire again after its cooldown.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam, body: { ...json(Note), required: false } },
      responses: { 200: { description: "resolved", ...json(Alert) }, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await changeAlert(c, c.req.valid("param").id, resolveAlert), 200),
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/alerts/{id}/deliveries", tags, summary: "An alert's deliveries and their attempt log",
      middleware: [authorize({ scope: "read" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "deliveries", ...json(z.object({ deliveries: z.array(Delivery) })) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = c.var.db();
      const row = await loadAlert(db, c.var.principal!, c.req.valid("param").id, "read");
      const rows = await db.select().from(deliveries).where(eq(deliveries.alertId, row.id)).orderBy(asc(deliveries.createdAt));
      return c.json({ deliveries: await deliveryViews(db, rows) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/v1/deliveries/{id}/redeliver", tags, summary: "Redeliver a dead letter",
      description: "One attempt now, with the same Idempotency-Key. Only dead deliveries can be redelivered; a delivered one is never sent twice.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "the delivery after the attempt", ...json(Delivery) }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const db = c.var.db();
      const cur = await loadDelivery(db, orgId, c.req.valid("param").id, c.var.principal!);
      if (cur.status !== "dead") throw new ApiError(409, "conflict", `delivery ${cur.id} is ${cur.status}; only a dead letter can be redelivered`);
      const actor = callerActor(c);
      await appendAudit(db, { orgId, actorType: actor.type, actorId: actor.id, action: "delivery.redeliver", targetType: "delivery", targetId: cur.id });
      const outcome = await attemptDelivery(db, cur.id, { fetch: outboundFetch, policy: urlPolicy(c.env), manual: true });
      if (!outcome) throw new ApiError(409, "conflict", `delivery ${cur.id} is being sent`);
      const [after] = await deliveryViews(db, [await loadDelivery(db, orgId, cur.id)]);
      return c.json(after!, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/v1/deliveries/{id}/approve", tags, summary: "Approve a retraining trigger",
      description: "For retrain channels with `require_approval`: releases the waiting request for delivery.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "queued", ...json(Delivery) }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const db = c.var.db();
      const cur = await loadDelivery(db, orgId, c.req.valid("param").id, c.var.principal!);
      if (cur.status !== "awaiting_approval") throw new ApiError(409, "conflict", `delivery ${cur.id} is ${cur.status}, not awaiting approval`);
      const actor = callerActor(c);
      await db.transaction(async (tx) => {
        await tx.update(deliveries).set({ status: "pending", nextAttemptAt: new Date() }).where(and(eq(deliveries.id, cur.id), eq(deliveries.status, "awaiting_approval")));
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "delivery.approve", targetType: "delivery", targetId: cur.id });
      });
      kickDispatcher(c, orgId);
      const [after] = await deliveryViews(db, [await loadDelivery(db, orgId, cur.id)]);
      return c.json(after!, 200);
    },
  );
