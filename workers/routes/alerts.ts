// /v1/alerts: what fired, its lifecycle (acknowledge, resolve, with notes), and its
// deliveries; /v1/deliveries/:id/redeliver and /approve act on single deliveries.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { Alert, AlertNote, AlertQuery, AlertWithActivity, Delivery } from "../alerts/alert-schema.ts";
import { acknowledge, getAlert, listAlerts, resolve } from "../alerts/alert-service.ts";
import { deliveryContext } from "../alerts/delivery-context.ts";
import { alertDeliveries, approveDelivery, redeliver } from "../alerts/delivery-service.ts";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { IdParams } from "../openapi/params.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["alerts"];
/** The note is optional, and so is the body that carries it. */
const noteBody = { required: false, content: { "application/json": { schema: AlertNote } } };

const list = createRoute({
  method: "get",
  path: "/v1/alerts",
  tags,
  summary: "List alerts",
  description: "Newest first. `from`/`to` bound the opening time (ISO 8601).",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: AlertQuery },
  responses: { 200: jsonResponse(z.object({ alerts: z.array(Alert) }), "alerts"), ...authErrors },
});

const get = createRoute({
  method: "get",
  path: "/v1/alerts/{id}",
  tags,
  summary: "Get an alert with its activity",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(AlertWithActivity, "the alert"), ...authErrors, ...errorResponses(404) },
});

const ack = createRoute({
  method: "post",
  path: "/v1/alerts/{id}/ack",
  tags,
  summary: "Acknowledge an alert",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams, body: noteBody },
  responses: { 200: jsonResponse(Alert, "acknowledged"), ...authErrors, ...errorResponses(404, 409) },
});

const resolution = createRoute({
  method: "post",
  path: "/v1/alerts/{id}/resolve",
  tags,
  summary: "Resolve an alert",
  description: "Channels hear the resolution (PagerDuty gets a resolve for the same dedup_key). If the condition persists, the rule may fire again after its cooldown.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams, body: noteBody },
  responses: { 200: jsonResponse(Alert, "resolved"), ...authErrors, ...errorResponses(404, 409) },
});

const deliveries = createRoute({
  method: "get",
  path: "/v1/alerts/{id}/deliveries",
  tags,
  summary: "An alert's deliveries and their attempt log",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(z.object({ deliveries: z.array(Delivery) }), "deliveries"), ...authErrors, ...errorResponses(404) },
});

const redelivery = createRoute({
  method: "post",
  path: "/v1/deliveries/{id}/redeliver",
  tags,
  summary: "Redeliver a dead letter",
  description: "One attempt now, with the same Idempotency-Key. Only dead deliveries can be redelivered; a delivered one is never sent twice.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(Delivery, "the delivery after the attempt"), ...authErrors, ...errorResponses(404, 409) },
});

const approval = createRoute({
  method: "post",
  path: "/v1/deliveries/{id}/approve",
  tags,
  summary: "Approve a retraining trigger",
  description: "For retrain channels with `require_approval`: releases the waiting request for delivery.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(Delivery, "queued"), ...authErrors, ...errorResponses(404, 409) },
});

export const alertRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ alerts: await listAlerts(c.var.db(), principalOf(c), c.req.valid("query")) }, 200))
  .openapi(get, async (c) => c.json(await getAlert(c.var.db(), principalOf(c), c.req.valid("param").id), 200))
  .openapi(ack, async (c) => c.json(await acknowledge(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json").note, deliveryContext(c)), 200))
  .openapi(resolution, async (c) => c.json(await resolve(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json").note, deliveryContext(c)), 200))
  .openapi(deliveries, async (c) => c.json({ deliveries: await alertDeliveries(c.var.db(), principalOf(c), c.req.valid("param").id) }, 200))
  .openapi(redelivery, async (c) => c.json(await redeliver(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, deliveryContext(c)), 200))
  .openapi(approval, async (c) => c.json(await approveDelivery(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, deliveryContext(c)), 200));
