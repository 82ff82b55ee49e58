// /v1/channels: where alerts are delivered. CRUD plus a test send. Credentials and URLs
// are shown masked to every caller and can be replaced, never read back
// (channels/redact-config.ts); a test send shows a failing receiver's reply only as its
// status line, plus a short redacted excerpt for admins.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { z as zod } from "zod";
import { EVALUATOR } from "../alerts/actor.ts";
import { attemptDelivery } from "../alerts/deliver.ts";
import { outboundFetch } from "../alerts/outbound.ts";
import { requireOrgWide } from "../alerts/access.ts";
import { callerActor, callerOrg, invalidField, kickDispatcher, linkBase, parseUuid, requireSafeUrl, urlPolicy } from "../alerts/route-context.ts";
import { queueDelivery } from "../alerts/fanout.ts";
import { testNotification } from "../alerts/snapshot.ts";
import { appendAudit } from "../audit/append.ts";
import { authorize } from "../auth/authenticate.ts";
import { CHANNEL_KINDS, CONFIG_BY_KIND, configUrls, isSigned, type ChannelKind } from "../channels/config.ts";
import { redactConfig, restoreMasked } from "../channels/redact-config.ts";
import { generateSecret } from "../channels/signature.ts";
import { channels } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { fieldIssues } from "../validation.ts";
import { errorResponses } from "../alerts/openapi-errors.ts";

type ChannelRow = typeof channels.$inferSelect;

const Channel = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS as [ChannelKind, ...ChannelKind[]]),
    config: z.record(z.string(), z.unknown()).describe("URLs show their origin and last 4 characters (`https://hooks.slack.com/…abcd`), credentials their last 4 (`…abcd`); for everyone"),
    models: z.array(z.string()).nullable().describe("model names this channel hears; null = every model"),
    enabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Channel");
const CreatedChannel = Channel.extend({ secret: z.string().nullable().describe("the signing secret; shown only here") }).openapi("CreatedChannel");

const ChannelBody = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(CHANNEL_KINDS as [ChannelKind, ...ChannelKind[]]),
    config: z.record(z.string(), z.unknown()),
    models: z.array(z.string().min(1)).max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .openapi("ChannelInput");
const ChannelPatch = z
  .object({ name: z.string().min(1).max(200).optional(), config: z.record(z.string(), z.unknown()).optional(), models: z.array(z.string().min(1)).max(500).nullable().optional(), enabled: z.boolean().optional() })
  .openapi("ChannelPatch");

const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const json = <T extends zod.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

function view(row: ChannelRow) {
  return {
    id: row.id, name: row.name, kind: row.kind as ChannelKind, config: redactConfig(row.config), models: row.models, enabled: row.enabled,
    created_at: row.createdAt.toISOString(), updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * Validates a config for its kind (fields named config.*) and its URLs for this
 * deployment. Masks sent back unchanged keep the `stored` values (PATCH); on create
 * (`stored` null) a masked value is refused.
 */
function parseConfig(env: AppEnv["Bindings"], kind: ChannelKind, raw: Record<string, unknown>, stored: Record<string, unknown> | null): Record<string, unknown> {
  const restored = restoreMasked(raw, stored);
  if (!restored.ok) throw invalidField(restored.field, restored.error);
  const parsed = CONFIG_BY_KIND[kind].safeParse(restored.config);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error).map((i) => ({ ...i, field: i.field === "(body)" ? "config" : `config.${i.field}` }));
    throw new ApiError(400, "validation_failed", `invalid json: ${issues[0]!.field}: ${issues[0]!.error}`, issues);
  }
  const config = parsed.data as Record<string, unknown>;
  for (const [field, url] of configUrls(config)) requireSafeUrl(env, field, url);
  return config;
}

async function load(c: { var: AppEnv["Variables"] }, orgId: string, id: string): Promise<ChannelRow> {
  const [row] = await c.var.db().select().from(channels).where(and(eq(channels.id, parseUuid(id, "channel")), eq(channels.orgId, orgId), isNull(channels.deletedAt))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `channel ${id} not found`);
  return row;
}

const tags = ["alerts"];

export const channelRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post", path: "/v1/channels", tags, summary: "Create a channel",
      description: "Kinds: `webhook` (signed JSON), `slack`, `pagerduty`, `teams`, `retrain` (retraining trigger: signed webhook or GitHub repository_dispatch). URLs must be https (http and loopback only in local development) and never link-local or metadata addresses. The signing secret is returned once.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { body: { ...json(ChannelBody), required: true } },
      responses: { 201: { description: "created", ...json(CreatedChannel) }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      requireOrgWide(c.var.principal!);
      const body = c.req.valid("json");
      const config = parseConfig(c.env, body.kind, body.config, null);
      let secret: string | null = null;
      if (isSigned(body.kind, config)) secret = typeof config.secret === "string" ? config.secret : generateSecret();
      delete config.secret;
      const actor = callerActor(c);
      const row = await c.var.db().transaction(async (tx) => {
        const [row] = await tx.insert(channels).values({ orgId, name: body.name, kind: body.kind, config, secret, models: body.models ?? null, enabled: body.enabled ?? true }).returning();
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "channel.create", targetType: "channel", targetId: row!.id, details: { name: body.name, kind: body.kind } });
        return row!;
      });
      return c.json({ ...view(row), secret }, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/channels", tags, summary: "List channels",
      middleware: [authorize({ scope: "read" })] as const,
      responses: { 200: { description: "channels", ...json(z.object({ channels: z.array(Channel) })) }, ...errorResponses(401, 403) },
    }),
    async (c) => {
      const rows = await c.var.db().select().from(channels).where(and(eq(channels.orgId, callerOrg(c)), isNull(channels.deletedAt))).orderBy(desc(channels.createdAt));
      return c.json({ channels: rows.map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/channels/{id}", tags, summary: "Get a channel",
      middleware: [authorize({ scope: "read" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "the channel", ...json(Channel) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(view(await load(c, callerOrg(c), c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      method: "patch", path: "/v1/channels/{id}", tags, summary: "Update a channel",
      description: "`config`, when given, replaces the whole config and is validated for the channel's kind. A masked value sent back exactly as read keeps the stored credential, unless a destination (`url`, `api_url`, `repo`, `format`) changes, which needs every credential in full; any other value containing `…` is refused (400 naming the field). The signing secret is kept unless `config.secret` sets a new one; it is never shown again.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam, body: { ...json(ChannelPatch), required: true } },
      responses: { 200: { description: "updated", ...json(Channel) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const cur = await load(c, orgId, c.req.valid("param").id);
      requireOrgWide(c.var.principal!);
      const patch = c.req.valid("json");
      const set: Partial<typeof channels.$inferInsert> = { updatedAt: new Date() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.models !== undefined) set.models = patch.models;
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.config !== undefined) {
        const config = parseConfig(c.env, cur.kind as ChannelKind, patch.config, cur.config);
        if (typeof config.secret === "string") set.secret = config.secret;
        else if (isSigned(cur.kind as ChannelKind, config) && !cur.secret) set.secret = generateSecret();
        delete config.secret;
        set.config = config;
      }
      const actor = callerActor(c);
      const row = await c.var.db().transaction(async (tx) => {
        const [row] = await tx.update(channels).set(set).where(eq(channels.id, cur.id)).returning();
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "channel.update", targetType: "channel", targetId: cur.id, details: { fields: Object.keys(patch) } });
        return row!;
      });
      return c.json(view(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete", path: "/v1/channels/{id}", tags, summary: "Delete a channel",
      description: "Pending deliveries to it are not sent; its delivery log stays readable.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam },
      responses: { 204: { description: "deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const cur = await load(c, orgId, c.req.valid("param").id);
      requireOrgWide(c.var.principal!);
      const actor = callerActor(c);
      await c.var.db().transaction(async (tx) => {
        await tx.update(channels).set({ deletedAt: new Date() }).where(eq(channels.id, cur.id));
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "channel.delete", targetType: "channel", targetId: cur.id, details: { name: cur.name } });
      });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/v1/channels/{id}/test", tags, summary: "Send a test delivery",
      description: "Queues a test notification for this channel and makes the first attempt right away (the URL is checked again first). A failed attempt is retried like any delivery. `error` is the status line or network error; `response_excerpt` (admin callers only) is at most 200 redacted characters of a failing receiver's reply.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam },
      responses: {
        200: {
          description: "the first attempt's result",
          ...json(
            z
              .object({
                delivery_id: z.uuid(), ok: z.boolean(), status: z.string(), status_code: z.number().nullable(), latency_ms: z.number(), error: z.string().nullable(),
                response_excerpt: z.string().nullable().optional().describe("admins only: ≤ 200 redacted characters of a failing receiver's reply"),
              })
              .openapi("TestDelivery"),
          ),
        },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const ch = await load(c, orgId, c.req.valid("param").id);
      requireOrgWide(c.var.principal!);
      const db = c.var.db();
      const n = testNotification(crypto.randomUUID(), callerActor(c) ?? EVALUATOR, linkBase(c));
      const id = await queueDelivery(db, orgId, ch.id, n);
      const outcome = await attemptDelivery(db, id!, { fetch: outboundFetch, policy: urlPolicy(c.env), manual: true });
      if (!outcome) throw invalidField("id", "the test delivery could not be claimed");
      if (outcome.status === "pending") kickDispatcher(c, orgId);
      const reply = { delivery_id: id!, ok: outcome.ok, status: outcome.status, status_code: outcome.statusCode, latency_ms: outcome.latencyMs, error: outcome.error };
      const admin = c.var.principal!.scopes.includes("admin");
      return c.json(admin ? { ...reply, response_excerpt: outcome.excerpt } : reply, 200);
    },
  );
