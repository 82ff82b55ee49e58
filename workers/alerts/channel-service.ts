// Channels as the API manages them: create, list, read, change, delete and test-send.
// A channel serves the whole org, so changing one or test-sending to it needs the write
// scope on every project (authz `requireOrgWide`); every reader of the org may list and
// read them. Configs are validated per kind and their URLs against the deployment's
// policy (channels/url-guard.ts); credentials are shown masked to everyone, and masks
// sent back keep the stored values (channels/redact-config.ts). Changes are audited in
// their transaction. The routes (routes/channels.ts) only parse and answer.
//
// It lives in alerts/, not channels/, because it queues and sends deliveries:
// channels/ holds the wire formats and URL rules that alerts/ builds on, and imports
// nothing of it.
import type { z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { Channel, ChannelInput, ChannelPatch, CreatedChannel, TestDelivery } from "../channels/channel-schema.ts";
import { CONFIG_BY_KIND, configUrls, isSigned, type ChannelKind } from "../channels/config.ts";
import { redactConfig, restoreMasked } from "../channels/redact-config.ts";
import { generateSecret } from "../channels/signature.ts";
import { checkChannelUrl, type UrlPolicy } from "../channels/url-guard.ts";
import type { Database } from "../db/client.ts";
import type { Queryable } from "../db/queryable.ts";
import { channels } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { fieldIssues } from "../validation.ts";
import { attemptDelivery } from "./deliver.ts";
import type { DeliveryContext } from "./delivery-context.ts";
import { queueDelivery, type ChannelRow } from "./fanout.ts";
import { invalidField, parseUuid } from "./input-errors.ts";
import { outboundFetch } from "./outbound.ts";
import { testNotification } from "./snapshot.ts";

type ChannelJson = z.infer<typeof Channel>;

/** What requireOrgWide names in its 403: "a channel spans the whole org: …". */
const ORG_WIDE = "a channel";

function view(row: ChannelRow): ChannelJson {
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
function parseConfig(policy: UrlPolicy, kind: ChannelKind, raw: Record<string, unknown>, stored: Record<string, unknown> | null): Record<string, unknown> {
  const restored = restoreMasked(raw, stored);
  if (!restored.ok) throw invalidField(restored.field, restored.error);
  const parsed = CONFIG_BY_KIND[kind].safeParse(restored.config);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error).map((i) => ({ ...i, field: i.field === "(body)" ? "config" : `config.${i.field}` }));
    throw new ApiError(400, "validation_failed", `invalid json: ${issues[0]!.field}: ${issues[0]!.error}`, issues);
  }
  const config = parsed.data as Record<string, unknown>;
  for (const [field, url] of configUrls(config)) {
    const problem = typeof url === "string" ? checkChannelUrl(url, policy) : null;
    if (problem) throw invalidField(field, problem);
  }
  return config;
}

async function loadChannel(db: Queryable, orgId: string, id: string): Promise<ChannelRow> {
  const [row] = await db.select().from(channels).where(and(eq(channels.id, parseUuid(id, "channel")), eq(channels.orgId, orgId), isNull(channels.deletedAt))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `channel ${id} not found`);
  return row;
}

/** The signing secret, when the kind signs, is returned here once and never shown again. */
export async function createChannel(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof ChannelInput>, policy: UrlPolicy): Promise<z.infer<typeof CreatedChannel>> {
  requireOrgWide(p, "write", ORG_WIDE);
  const config = parseConfig(policy, body.kind, body.config, null);
  let secret: string | null = null;
  if (isSigned(body.kind, config)) secret = typeof config.secret === "string" ? config.secret : generateSecret();
  delete config.secret;
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.insert(channels).values({ orgId: p.orgId, name: body.name, kind: body.kind, config, secret, models: body.models ?? null, enabled: body.enabled ?? true }).returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "channel.create", targetType: "channel", targetId: row!.id, details: { name: body.name, kind: body.kind } });
    return row!;
  });
  return { ...view(row), secret };
}

export async function listChannels(db: Queryable, p: Principal): Promise<ChannelJson[]> {
  const rows = await db.select().from(channels).where(and(eq(channels.orgId, p.orgId), isNull(channels.deletedAt))).orderBy(desc(channels.createdAt));
  return rows.map(view);
}

export async function getChannel(db: Queryable, p: Principal, id: string): Promise<ChannelJson> {
  return view(await loadChannel(db, p.orgId, id));
}

/** `config` replaces the whole config; the signing secret is kept unless `config.secret` sets a new one. */
export async function updateChannel(db: Queryable, p: Principal, actor: AuditActor, id: string, patch: z.infer<typeof ChannelPatch>, policy: UrlPolicy): Promise<ChannelJson> {
  const cur = await loadChannel(db, p.orgId, id);
  requireOrgWide(p, "write", ORG_WIDE);
  const set: Partial<typeof channels.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.models !== undefined) set.models = patch.models;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.config !== undefined) {
    const config = parseConfig(policy, cur.kind as ChannelKind, patch.config, cur.config);
    if (typeof config.secret === "string") set.secret = config.secret;
    else if (isSigned(cur.kind as ChannelKind, config) && !cur.secret) set.secret = generateSecret();
    delete config.secret;
    set.config = config;
  }
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.update(channels).set(set).where(eq(channels.id, cur.id)).returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "channel.update", targetType: "channel", targetId: cur.id, details: { fields: Object.keys(patch) } });
    return row!;
  });
  return view(row);
}

/** A soft delete: pending deliveries to it are not sent; its delivery log stays readable. */
export async function deleteChannel(db: Queryable, p: Principal, actor: AuditActor, id: string): Promise<void> {
  const cur = await loadChannel(db, p.orgId, id);
  requireOrgWide(p, "write", ORG_WIDE);
  await db.transaction(async (tx) => {
    await tx.update(channels).set({ deletedAt: new Date() }).where(eq(channels.id, cur.id));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "channel.delete", targetType: "channel", targetId: cur.id, details: { name: cur.name } });
  });
}

/**
 * Queues a test notification and makes its first attempt now (the URL is checked again
 * first); a failure is retried like any delivery. Admins also see a short redacted
 * excerpt of a failing reply.
 */
export async function testChannel(db: Database, p: Principal, actor: AuditActor, id: string, ctx: DeliveryContext): Promise<z.infer<typeof TestDelivery>> {
  const ch = await loadChannel(db, p.orgId, id);
  requireOrgWide(p, "write", ORG_WIDE);
  const deliveryId = await queueDelivery(db, p.orgId, ch.id, testNotification(crypto.randomUUID(), actor, ctx.base));
  const outcome = await attemptDelivery(db, deliveryId!, { fetch: outboundFetch, policy: ctx.policy, manual: true });
  if (!outcome) throw invalidField("id", "the test delivery could not be claimed");
  if (outcome.status === "pending") ctx.kick(p.orgId);
  const reply = { delivery_id: deliveryId!, ok: outcome.ok, status: outcome.status, status_code: outcome.statusCode, latency_ms: outcome.latencyMs, error: outcome.error };
  return p.scopes.includes("admin") ? { ...reply, response_excerpt: outcome.excerpt } : reply;
}
