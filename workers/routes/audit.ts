import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from "drizzle-orm";
import { verifyChain } from "../audit/verify.ts";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import { auditLog } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, orgSecurity } from "../openapi/errors.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { decodeCursor, encodeCursor } from "../registry/pagination.ts";
import { principalOf } from "./request-context.ts";

const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
    action: z.string().openapi({ example: "model_version.stage" }),
    target: z.object({ type: z.string(), id: z.string() }),
    details: z.record(z.string(), z.unknown()).openapi({ description: "before/after, note, request_id, ip" }),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

const AuditQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  order: z.enum(["asc", "desc"]).default("desc"),
  action: z.string().optional().openapi({ description: "exact action, or a prefix ending in `.` (e.g. `api_key.`)" }),
  actor: z.string().optional().openapi({ description: "actor id (key prefix, user email, system name)" }),
  target_type: z.string().optional(),
  target_id: z.string().optional(),
  since: z.string().datetime({ offset: true }).optional(),
  until: z.string().datetime({ offset: true }).optional(),
  format: z.enum(["json", "jsonl"]).default("json").openapi({ description: "`jsonl`: JSON Lines export (application/x-ndjson), one entry a line, next cursor in `X-Next-Cursor`" }),
});

const ChainReport = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    last_hash: z.string(),
    first_broken: z.object({ id: z.number().int(), reason: z.enum(["prev_hash_mismatch", "hash_mismatch"]), expected: z.string(), actual: z.string() }).nullable(),
  })
  .openapi("AuditChainReport");

const list = createRoute({
  method: "get",
  path: "/v1/audit",
  tags: ["audit"],
  summary: "List or export the org's audit log",
  description: "Needs the admin scope on the whole org: a key limited to a project or model, or a user narrowed below admin in any project, gets 403.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { query: AuditQuery },
  responses: {
    200: {
      description: "A page of entries (JSON), or JSON Lines with `format=jsonl`",
      content: { "application/json": { schema: z.object({ items: z.array(AuditEntry), next_cursor: z.string().nullable() }).openapi("AuditPage") }, "application/x-ndjson": { schema: z.string() } },
    },
    ...authErrors,
  },
});

const verify = createRoute({
  method: "get",
  path: "/v1/audit/verify",
  tags: ["audit"],
  summary: "Recompute the org's hash chain and report the first broken link",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(ChainReport, "`ok: false` with `first_broken` when any record was changed, removed or forged"), ...authErrors },
});

type Row = typeof auditLog.$inferSelect;
const entry = (r: Row): z.infer<typeof AuditEntry> => ({
  id: r.id,
  at: r.at.toISOString(),
  actor: { type: r.actorType, id: r.actorId },
  action: r.action,
  target: { type: r.targetType, id: r.targetId },
  details: r.details,
  prev_hash: r.prevHash,
  hash: r.hash,
});

export const auditRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", "the audit log");
    const q = c.req.valid("query");
    const conds: (SQL | undefined)[] = [eq(auditLog.orgId, p.orgId)];
    if (q.action) conds.push(q.action.endsWith(".") ? and(gte(auditLog.action, q.action), lt(auditLog.action, `${q.action}\uffff`)) : eq(auditLog.action, q.action));
    if (q.actor) conds.push(eq(auditLog.actorId, q.actor));
    if (q.target_type) conds.push(eq(auditLog.targetType, q.target_type));
    if (q.target_id) conds.push(eq(auditLog.targetId, q.target_id));
    if (q.since) conds.push(gte(auditLog.at, new Date(q.since)));
    if (q.until) conds.push(lte(auditLog.at, new Date(q.until)));
    if (q.cursor) {
      const id = Number(decodeCursor(q.cursor).id);
      conds.push(q.order === "asc" ? gt(auditLog.id, id) : lt(auditLog.id, id));
    }
    const rows = await c.var
      .db()
      .select()
      .from(auditLog)
      .where(and(...conds))
      .orderBy(q.order === "asc" ? asc(auditLog.id) : desc(auditLog.id))
      .limit(q.limit + 1);
    const items = rows.slice(0, q.limit).map(entry);
    const last = items[items.length - 1];
    const next = rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null;
    if (q.format === "jsonl") {
      const body = items.map((i) => JSON.stringify(i)).join("\n") + (items.length ? "\n" : "");
      const res = c.body(body, 200, { "content-type": "application/x-ndjson; charset=utf-8", ...(next ? { "x-next-cursor": next } : {}) });
      // The route documents this second content type, but hono's typed handler only models JSON bodies.
      return res as unknown as ReturnType<typeof c.json<{ items: typeof items; next_cursor: string | null }, 200>>;
    }
    return c.json({ items, next_cursor: next }, 200);
  })
  .openapi(verify, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", "the audit log");
    return c.json(await verifyChain(c.var.db(), p.orgId), 200);
  });
