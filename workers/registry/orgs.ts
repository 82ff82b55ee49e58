// Creating an org: the org, its `default` project and a first admin key (shown once),
// in one transaction with their audit records. Only the instance admin gets here.
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import { generateApiKey } from "../auth/api-key.ts";
import { NewApiKeyResponse } from "../auth/key-service.ts";
import type { Queryable } from "../db/queryable.ts";
import { apiKeys, orgs, projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be 2-63 lower-case letters, digits or '-'");
export const Org = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string(), created_at: z.string() }).openapi("Org");
export const CreateOrg = z.object({ slug: Slug, name: z.string().min(1).max(200) }).openapi("CreateOrg");
export const CreatedOrg = z.object({ org: Org, admin_key: NewApiKeyResponse }).openapi("CreatedOrg");

export async function createOrg(db: Queryable, actor: AuditActor, body: z.infer<typeof CreateOrg>): Promise<z.infer<typeof CreatedOrg>> {
  return db.transaction(async (tx) => {
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
}
