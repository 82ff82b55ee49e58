import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit, type AuditActor, type AuditChange } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, sessions, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { seesAccount } from "./member-view.ts";
import { hashPassword, verifyPassword } from "./password.ts";

// A user account is global: one email, name, password and disabled flag, whatever orgs
// it belongs to. So an org admin never changes them (that would reach into every other
// org the user is in); only the user themself or an instance admin does, and the change
// is audited in every org the account belongs to, since each of them is affected.

export interface AccountChange {
  name?: string;
  disabled?: boolean;
}

/** 403 unless `p` is the account's own user or an instance admin. */
export function requireAccountOwner(p: Principal, userId: string, what: string): void {
  if (seesAccount(p, userId)) return;
  throw new ApiError(
    403,
    "forbidden",
    `${what} belongs to the user's account, which spans every org it is a member of: only the user or an instance admin may change it (an org admin may suspend the membership instead: "suspended": true)`,
  );
}

/** One audit record in each org the account belongs to. */
async function auditEverywhere(db: Queryable, actor: AuditActor, userId: string, change: Omit<AuditChange, "orgId">) {
  const orgs = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId));
  for (const { orgId } of orgs) await recordAudit(db, actor, { ...change, orgId });
}

/** Applies name / disabled to the account (caller checked with requireAccountOwner), inside the caller's transaction. */
export async function changeAccount(tx: Queryable, actor: AuditActor, userId: string, change: AccountChange): Promise<void> {
  if (change.name === undefined && change.disabled === undefined) return;
  const [before] = await tx.select({ name: users.name, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
  if (!before) throw new ApiError(404, "not_found", `user ${userId} not found`);
  const set: Partial<typeof users.$inferInsert> = {};
  if (change.name !== undefined) set.name = change.name;
  if (change.disabled !== undefined) set.disabledAt = change.disabled ? (before.disabledAt ?? new Date()) : null;
  await tx.update(users).set(set).where(eq(users.id, userId));
  if (change.disabled) await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, userId), sql`${sessions.revokedAt} is null`));
  await auditEverywhere(tx, actor, userId, {
    action: "user.update",
    targetType: "user",
    targetId: userId,
    before: { name: before.name, disabled: before.disabledAt !== null },
    after: { name: change.name ?? before.name, disabled: change.disabled ?? before.disabledAt !== null },
  });
}

export const ChangePassword = z
  .object({
    current_password: z.string().max(1_000).optional().openapi({ description: "required when the account already has a password" }),
    new_password: z.string().min(12, "must be at least 12 characters").max(1_000),
  })
  .openapi("ChangePassword");

/** A signed-in user sets their own password (the bootstrap admin, signed in by link, sets a first one). */
export async function changeOwnPassword(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof ChangePassword>) {
  if (p.kind !== "user") throw new ApiError(400, "bad_request", "only a signed-in user has a password; API keys are rotated instead");
  const [user] = await db.select().from(users).where(eq(users.id, p.userId));
  if (!user) throw new ApiError(404, "not_found", "user not found");
  if (user.passwordHash) {
    if (!body.current_password || !(await verifyPassword(body.current_password, user.passwordHash))) {
      throw new ApiError(403, "forbidden", "current_password is wrong or missing");
    }
  }
  const passwordHash = await hashPassword(body.new_password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, p.userId));
    // Other sessions end; this one stays.
    await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, p.userId), sql`${sessions.id} <> ${p.sessionId}`, sql`${sessions.revokedAt} is null`));
    await auditEverywhere(tx, actor, p.userId, { action: "user.password_change", targetType: "user", targetId: p.userId, details: { had_password: user.passwordHash !== null } });
  });
}
