// Rows and principals for the direct tests of accounts.ts, member-view.ts and members.ts.
// They write through whichever database `withDb` gives (Postgres in workerd, PGlite in the
// mutation config's Node runs), so the same tests run both ways.
import { and, eq } from "drizzle-orm";
import type { Role } from "../authz/roles.ts";
import type { Database } from "../db/client.ts";
import { auditLog, memberships, sessions, users } from "../db/schema/index.ts";
import type { ApiKeyPrincipal, UserPrincipal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";
import { uniqueSlug } from "../testing/seed-rows.ts";

export const actor = { type: "user" as const, id: "test-actor" };

/** A new account (unique email), optionally a member of `orgId` with `role`. */
export async function seedUser(
  db: Database,
  opts: { orgId?: string; role?: Role; name?: string; email?: string; passwordHash?: string | null; disabledAt?: Date | null; suspendedAt?: Date | null } = {},
): Promise<{ id: string; email: string }> {
  const email = opts.email ?? `${uniqueSlug("user")}@example.com`;
  const [row] = await db
    .insert(users)
    .values({ email, name: opts.name ?? "", passwordHash: opts.passwordHash ?? null, disabledAt: opts.disabledAt ?? null })
    .returning({ id: users.id });
  if (opts.orgId) await db.insert(memberships).values({ orgId: opts.orgId, userId: row!.id, role: opts.role ?? "viewer", suspendedAt: opts.suspendedAt ?? null });
  return { id: row!.id, email };
}

/** A live session of `userId` in `orgId` (or one revoked at `revokedAt`). */
export async function seedSession(db: Database, userId: string, orgId: string, revokedAt: Date | null = null): Promise<string> {
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: crypto.randomUUID(), userId, orgId, csrfToken: "csrf", expiresAt: new Date(Date.now() + 3_600_000), revokedAt })
    .returning({ id: sessions.id });
  return row!.id;
}

export async function revokedAtOf(db: Database, sessionId: string): Promise<Date | null> {
  const [row] = await db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.id, sessionId));
  return row!.revokedAt;
}

export async function userRow(db: Database, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

/** The audit records of one target in one org, oldest first. */
export async function auditOf(db: Database, orgId: string, targetId: string) {
  return db
    .select({ action: auditLog.action, actorType: auditLog.actorType, actorId: auditLog.actorId, targetType: auditLog.targetType, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.targetId, targetId)))
    .orderBy(auditLog.id);
}

export function userPrincipal(orgId: string, role: Role, opts: Partial<Pick<UserPrincipal, "userId" | "projectRoles" | "instanceAdmin" | "sessionId">> = {}): UserPrincipal {
  return {
    kind: "user",
    orgId,
    userId: opts.userId ?? crypto.randomUUID(),
    email: "caller@example.com",
    sessionId: opts.sessionId ?? crypto.randomUUID(),
    role,
    projectRoles: opts.projectRoles ?? {},
    scopes: [],
    instanceAdmin: opts.instanceAdmin ?? false,
    csrfToken: "c",
    sessionExpiresAt: "",
  };
}

export function keyPrincipal(orgId: string, opts: Partial<Pick<ApiKeyPrincipal, "scopes" | "projectId" | "modelId">> = {}): ApiKeyPrincipal {
  return { kind: "api_key", orgId, keyId: crypto.randomUUID(), prefix: "vgl_test", scopes: opts.scopes ?? ["admin"], projectId: opts.projectId ?? null, modelId: opts.modelId ?? null };
}

/** The ApiError a promise rejects with, as status, code and message (or "ok" when it resolves). */
export async function failureOf(p: Promise<unknown> | (() => unknown)): Promise<{ status: number; code: string; message: string; details?: unknown } | "ok"> {
  try {
    await (typeof p === "function" ? p() : p);
    return "ok";
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err.details === undefined ? { status: err.status, code: err.code, message: err.message } : { status: err.status, code: err.code, message: err.message, details: err.details };
  }
}
