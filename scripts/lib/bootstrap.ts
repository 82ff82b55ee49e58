import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { appendAudit } from "../../workers/audit/append.ts";
import { generateApiKey } from "../../workers/auth/api-key.ts";
import * as schema from "../../workers/db/schema/index.ts";

const LOCAL_ORG_SLUG = "local";
const BOOTSTRAP_KEY_NAME = "bootstrap admin (npm start)";

export interface Bootstrap {
  org: { id: string; slug: string };
  adminKey: string;
}

/**
 * Makes sure the local org and its default project exist, then issues a fresh admin
 * key. Keys are stored only as hashes, so the previous launch's key cannot be shown
 * again; it is revoked instead, leaving exactly one live bootstrap key. Each step is
 * recorded in the audit log.
 */
export async function bootstrapLocalOrg(databaseUrl: string): Promise<Bootstrap> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const db = drizzle({ client, schema });
  try {
    return await db.transaction(async (tx) => {
      let [org] = await tx.select().from(schema.orgs).where(eq(schema.orgs.slug, LOCAL_ORG_SLUG));
      if (!org) {
        [org] = await tx.insert(schema.orgs).values({ slug: LOCAL_ORG_SLUG, name: "Local development" }).returning();
        if (!org) throw new Error("could not create the local org");
        await tx.insert(schema.projects).values({ orgId: org.id, slug: "default", name: "Default project" });
        await appendAudit(tx, { orgId: org.id, actorType: "system", actorId: "npm-start", action: "org.create", targetType: "org", targetId: org.id, details: { slug: org.slug } });
      }
      const revoked = await tx
        .update(schema.apiKeys)
        .set({ revokedAt: new Date() })
        .where(and(eq(schema.apiKeys.orgId, org.id), eq(schema.apiKeys.name, BOOTSTRAP_KEY_NAME), isNull(schema.apiKeys.revokedAt)))
        .returning({ id: schema.apiKeys.id });
      for (const { id } of revoked) {
        await appendAudit(tx, { orgId: org.id, actorType: "system", actorId: "npm-start", action: "api_key.revoke", targetType: "api_key", targetId: id, details: { reason: "superseded by a new bootstrap key" } });
      }
      const key = await generateApiKey();
      const [row] = await tx
        .insert(schema.apiKeys)
        .values({ orgId: org.id, name: BOOTSTRAP_KEY_NAME, prefix: key.prefix, keyHash: key.hash, scopes: ["ingest", "read", "write", "admin"], createdBy: "system:npm-start" })
        .returning({ id: schema.apiKeys.id });
      await appendAudit(tx, { orgId: org.id, actorType: "system", actorId: "npm-start", action: "api_key.create", targetType: "api_key", targetId: row!.id, details: { prefix: key.prefix, scopes: ["ingest", "read", "write", "admin"] } });
      return { org: { id: org.id, slug: org.slug }, adminKey: key.key };
    });
  } finally {
    await client.end();
  }
}
