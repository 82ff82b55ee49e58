// /v1/channels: where alerts are delivered. CRUD plus a test send. Credentials and URLs
// are shown masked to every caller and can be replaced, never read back
// (channels/redact-config.ts); a test send shows a failing receiver's reply only as its
// status line, plus a short redacted excerpt for admins. Channels serve the whole org:
// changing one needs the write scope on every project (alerts/channel-service.ts).
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { createChannel, deleteChannel, getChannel, listChannels, testChannel, updateChannel } from "../alerts/channel-service.ts";
import { deliveryContext, urlPolicy } from "../alerts/delivery-context.ts";
import { authorize } from "../auth/authenticate.ts";
import { Channel, ChannelInput, ChannelPatch, CreatedChannel, TestDelivery } from "../channels/channel-schema.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { IdParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["alerts"];

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a channel",
  description:
    "Kinds: `webhook` (signed JSON), `slack`, `pagerduty`, `teams`, `retrain` (retraining trigger: signed webhook or GitHub repository_dispatch). URLs must be https (http and loopback only in local development) and never link-local or metadata addresses. The signing secret is returned once. Needs the write scope on every project of the org.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { body: jsonBody(ChannelInput) },
  responses: { 201: jsonResponse(CreatedChannel, "created"), ...authErrors },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List channels",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  responses: { 200: jsonResponse(z.object({ channels: z.array(Channel) }), "channels"), ...authErrors },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Get a channel",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(Channel, "the channel"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Update a channel",
  description:
    "`config`, when given, replaces the whole config and is validated for the channel's kind. A masked value sent back exactly as read keeps the stored credential, unless a destination (`url`, `api_url`, `repo`, `format`) changes, which needs every credential in full; any other value containing `…` is refused (400 naming the field). The signing secret is kept unless `config.secret` sets a new one; it is never shown again.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams, body: jsonBody(ChannelPatch) },
  responses: { 200: jsonResponse(Channel, "updated"), ...authErrors, ...errorResponses(404) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a channel",
  description: "Pending deliveries to it are not sent; its delivery log stays readable.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 204: { description: "deleted" }, ...authErrors, ...errorResponses(404) },
});

const test = createRoute({
  method: "post",
  path: "/{id}/test",
  tags,
  summary: "Send a test delivery",
  description:
    "Queues a test notification for this channel and makes the first attempt right away (the URL is checked again first). A failed attempt is retried like any delivery. `error` is the status line or network error; `response_excerpt` (admin callers only) is at most 200 redacted characters of a failing receiver's reply.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(TestDelivery, "the first attempt's result"), ...authErrors, ...errorResponses(404) },
});

export const channelRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createChannel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json"), urlPolicy(c.env)), 201))
  .openapi(list, async (c) => c.json({ channels: await listChannels(c.var.db(), principalOf(c)) }, 200))
  .openapi(get, async (c) => c.json(await getChannel(c.var.db(), principalOf(c), c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await updateChannel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), urlPolicy(c.env)), 200))
  .openapi(remove, async (c) => {
    await deleteChannel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(test, async (c) => c.json(await testChannel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, deliveryContext(c)), 200));
