import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { AuditEntry, AuditQuery, ChainReport, listAudit } from "../audit/query.ts";
import { verifyChain } from "../audit/verify.ts";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, orgSecurity } from "../openapi/errors.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { principalOf } from "./request-context.ts";

const list = createRoute({
  method: "get",
  path: "/",
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
  path: "/verify",
  tags: ["audit"],
  summary: "Recompute the org's hash chain and report the first broken link",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(ChainReport, "`ok: false` with `first_broken` when any record was changed, removed or forged"), ...authErrors },
});

export const auditRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", "the audit log");
    const q = c.req.valid("query");
    const { items, next_cursor: next } = await listAudit(c.var.db(), p.orgId, q);
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
