import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { appendAudit } from "../../workers/audit/append.ts";
import { generateApiKey } from "../../workers/auth/api-key.ts";
import * as schema from "../../workers/db/schema/index.ts";
import { LOGIN_LINK_PATH, createLoginLink } from "../../workers/users/login-links.ts";

const LOCAL_ORG_SLUG = "local";
const BOOTSTRAP_KEY_NAME = "bootstrap admin (npm start)";
/** The dashboard's first user: owner of the local org and instance admin, signing in by one-time link. */
export const BOOTSTRAP_ADMIN_EMAIL = "admin@vigil.local";

export interface Bootstrap {
  org: { id: string; slug: string };
  adminKey: string;
  /** Path plus token of a one-time dashboard sign-in link for the bootstrap admin (valid one hour). */
  loginPath: string;
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
      const system = { actorType: "system", actorId: "npm-start" } as const;
      let [admin] = await tx.select().from(schema.users).where(eq(schema.users.email, BOOTSTRAP_ADMIN_EMAIL));
      if (!admin) {
        [admin] = await tx.insert(schema.users).values({ email: BOOTSTRAP_ADMIN_EMAIL, name: "Bootstrap admin", instanceAdmin: true }).returning();
        await appendAudit(tx, { orgId: org.id, ...system, action: "user.create", targetType: "user", targetId: admin!.id, details: { after: { email: BOOTSTRAP_ADMIN_EMAIL, instance_admin: true } } });
      }
      const [member] = await tx.insert(schema.memberships).values({ orgId: org.id, userId: admin!.id, role: "owner" }).onConflictDoNothing().returning();
      if (member) await appendAudit(tx, { orgId: org.id, ...system, action: "membership.create", targetType: "user", targetId: admin!.id, details: { after: { role: "owner" } } });
      const link = await createLoginLink(tx, admin!.id, org.id);
      await appendAudit(tx, { orgId: org.id, ...system, action: "login_link.create", targetType: "user", targetId: admin!.id, details: { expires_at: link.expiresAt.toISOString() } });
      return { org: { id: org.id, slug: org.slug }, adminKey: key.key, loginPath: `${LOGIN_LINK_PATH}?token=${link.token}` };
    });
  } finally {
    await client.end();
  }
}
