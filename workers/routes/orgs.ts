import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record.ts";
import { generateApiKey } from "../auth/api-key.ts";
import { authorize } from "../auth/authenticate.ts";
import { NewApiKeyResponse } from "../auth/key-service.ts";
import { apiKeys, orgs, projects } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { errorResponses } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { actorOf } from "./request-context.ts";

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be 2-63 lower-case letters, digits or '-'");
const Org = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), created_at: z.string() }).openapi("Org");
const CreateOrg = z.object({ slug: Slug, name: z.string().min(1).max(200) }).openapi("CreateOrg");

const instanceAdminSecurity: Array<Record<string, string[]>> = [{ instanceAdminToken: [] }, { session: [] }];

const create = createRoute({
  method: "post",
  path: "/v1/orgs",
  tags: ["orgs"],
  summary: "Create an org (instance admins only)",
  description:
    "Authenticate with `Authorization: Bearer <INSTANCE_ADMIN_TOKEN>` (printed by `npm start`; a secret in production) or as a signed-in user flagged instance admin. Creates the org, its `default` project and an admin API key, shown once.",
  security: instanceAdminSecurity,
  middleware: [authorize({ instanceAdmin: true })] as const,
  request: { body: jsonBody(CreateOrg) },
  responses: {
    201: jsonResponse(z.object({ org: Org, admin_key: NewApiKeyResponse }).openapi("CreatedOrg"), "The org and its first admin key"),
    ...errorResponses(400, 401, 403, 409, 503),
  },
});

export const orgRoutes = new OpenAPIHono<AppEnv>().openapi(create, async (c) => {
  const body = c.req.valid("json");
  const actor = actorOf(c);
  const result = await c.var.db().transaction(async (tx) => {
    const [taken] = await tx.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, body.slug));
    if (taken) throw new ApiError(409, "conflict", `org ${body.slug} already exists`);
    const [org] = await tx.insert(orgs).values({ slug: body.slug, name: body.name }).onConflictDoNothing().returning();
    if (!org) throw new ApiError(409, "conflict", `org ${body.slug} already exists`);
    await tx.insert(projects).values({ orgId: org.id, slug: "default", name: "Default project" });
    await recordAudit(tx, actor, { orgId: org.id, action: "org.create", targetType: "org", targetId: org.id, after: { slug: org.slug, name: org.name } });
    const k = await generateApiKey();
    const scopes = ["ingest", "read", "write", "admin"] as const;
    const [key] = await tx
      .insert(apiKeys)
      .values({ orgId: org.id, name: "org admin", prefix: k.prefix, keyHash: k.hash, scopes: [...scopes], createdBy: `${actor.type}:${actor.id}` })
      .returning();
    await recordAudit(tx, actor, { orgId: org.id, action: "api_key.create", targetType: "api_key", targetId: key!.id, after: { prefix: k.prefix, scopes } });
    return {
      org: { id: org.id, slug: org.slug, name: org.name, created_at: org.createdAt.toISOString() },
      admin_key: {
        id: key!.id, name: key!.name, prefix: k.prefix, key: k.key, scopes: [...scopes], project: null, model: null, created_by: key!.createdBy,
        created_at: key!.createdAt.toISOString(), last_used_at: null, expires_at: null, revoked_at: null, rotated_from: null,
      },
    };
  });
  return c.json(result, 201);
});
