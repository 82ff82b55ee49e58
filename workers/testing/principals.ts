// Test callers of every kind: signed-in users with a role (session cookie + CSRF token),
// built on real rows like the rest of workers/testing.
import type { Role } from "../authz/roles.ts";
import type { Database } from "../db/client.ts";
import { memberships, users } from "../db/schema/index.ts";
import { PLAIN_COOKIE, createSession } from "../users/sessions.ts";
import { uniqueSlug } from "./seed-rows.ts";

export interface TestUser {
  userId: string;
  email: string;
  /** Headers that authenticate as this user; `write` adds the CSRF token. */
  headers: (write?: boolean) => Record<string, string>;
}

export async function seedUser(db: Database, orgId: string, role: Role, extra: { instanceAdmin?: boolean; passwordHash?: string } = {}): Promise<TestUser> {
  const email = `${uniqueSlug(role)}@example.test`;
  const [user] = await db.insert(users).values({ email, name: role, instanceAdmin: extra.instanceAdmin ?? false, passwordHash: extra.passwordHash ?? null }).returning();
  await db.insert(memberships).values({ orgId, userId: user!.id, role });
  const session = await createSession(db, { userId: user!.id, orgId });
  return {
    userId: user!.id,
    email,
    headers: (write = false) => ({ cookie: `${PLAIN_COOKIE}=${session.token}`, ...(write ? { "x-csrf-token": session.csrfToken } : {}) }),
  };
}
