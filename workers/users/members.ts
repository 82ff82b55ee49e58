import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import { ROLES, atLeast, type Role } from "../authz/roles.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, projectRoles, projects, sessions, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { PageQuery, decodeCursor, encodeCursor } from "../registry/pagination.ts";
import { hashPassword, verifyPassword } from "./password.ts";

// Org members: users with a role in the caller's org, optionally narrowed per project.

export const RoleSchema = z.enum(ROLES);
export const ProjectRoles = z.record(z.string(), RoleSchema).openapi({ description: "project slug → a narrower role there" });

export const Member = z
  .object({ id: z.string().uuid(), email: z.string(), name: z.string(), role: RoleSchema, project_roles: ProjectRoles, created_at: z.string(), has_password: z.boolean() })
  .openapi("User");

export const CreateMember = z
  .object({
    email: z.string().email(),
    name: z.string().max(200).default(""),
    password: z.string().min(12, "must be at least 12 characters").max(1_000).optional(),
    role: RoleSchema,
    project_roles: ProjectRoles.default({}),
  })
  .openapi("CreateUser");

export const UpdateMember = z
  .object({
    name: z.string().max(200).optional(),
    role: RoleSchema.optional(),
    project_roles: z.record(z.string(), RoleSchema.nullable()).optional().openapi({ description: "null removes a project's narrowing" }),
    disabled: z.boolean().optional().openapi({ description: "disable the account (all orgs); revokes its sessions" }),
  })
  .openapi("UpdateUser");

export const MemberListQuery = PageQuery.omit({ order: true }).extend({ role: RoleSchema.optional() });

async function memberJson(db: Queryable, orgId: string, userId: string): Promise<z.infer<typeof Member> | undefined> {
  const [row] = await db
    .select({ u: users, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!row) return undefined;
  const narrowed = await db
    .select({ slug: projects.slug, role: projectRoles.role })
    .from(projectRoles)
    .innerJoin(projects, eq(projects.id, projectRoles.projectId))
    .where(and(eq(projectRoles.orgId, orgId), eq(projectRoles.userId, userId)));
  return {
    id: row.u.id,
    email: row.u.email,
    name: row.u.name,
    role: row.role as Role,
    project_roles: Object.fromEntries(narrowed.map((n) => [n.slug, n.role as Role])),
    created_at: row.u.createdAt.toISOString(),
    has_password: row.u.passwordHash !== null,
  };
}

export async function getMember(db: Queryable, p: Principal, userId: string) {
  const m = await memberJson(db, p.orgId, userId);
  if (!m) throw new ApiError(404, "not_found", `user ${userId} not found`);
  return m;
}

export async function listMembers(db: Queryable, p: Principal, q: z.infer<typeof MemberListQuery>) {
  const conds = [eq(memberships.orgId, p.orgId)];
  if (q.role) conds.push(eq(memberships.role, q.role));
  if (q.cursor) conds.push(gt(users.email, String(decodeCursor(q.cursor).v)));
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(...conds))
    .orderBy(asc(users.email))
    .limit(q.limit + 1);
  const items = await Promise.all(rows.slice(0, q.limit).map((r) => memberJson(db, p.orgId, r.id)));
  const last = rows[q.limit - 1];
  return { items: items.filter((m) => m !== undefined), next_cursor: rows.length > q.limit && last ? encodeCursor({ v: last.email, id: last.id }) : null };
}

/** Only owners hand out or take away the owner role; a principal cannot grant more than it holds. */
function checkGrant(p: Principal, from: Role | undefined, to: Role | undefined) {
  const callerRole: Role = p.kind === "user" ? p.role : "admin";
  if ((to === "owner" || from === "owner") && callerRole !== "owner") throw new ApiError(403, "forbidden", "only an owner may grant or change the owner role");
  if (to && !atLeast(callerRole, to)) throw new ApiError(403, "forbidden", `cannot grant ${to}, above your own role`);
}

async function ownerCount(db: Queryable, orgId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return row?.n ?? 0;
}

async function setProjectRoles(db: Queryable, orgId: string, userId: string, roles: Record<string, Role | null>) {
  for (const [slug, role] of Object.entries(roles)) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(and(eq(projects.orgId, orgId), eq(projects.slug, slug)));
    if (!project) throw new ApiError(400, "validation_failed", `invalid json: project_roles.${slug}: no such project`, [{ field: `project_roles.${slug}`, error: "no such project" }]);
    await db.delete(projectRoles).where(and(eq(projectRoles.projectId, project.id), eq(projectRoles.userId, userId)));
    if (role) await db.insert(projectRoles).values({ projectId: project.id, userId, orgId, role });
  }
}

export async function addMember(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof CreateMember>) {
  checkGrant(p, undefined, body.role);
  const passwordHash = body.password ? await hashPassword(body.password) : null;
  return db.transaction(async (tx) => {
    const email = body.email.toLowerCase();
    let [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user) {
      [user] = await tx.insert(users).values({ email, name: body.name, passwordHash }).returning();
      await recordAudit(tx, actor, { orgId: p.orgId, action: "user.create", targetType: "user", targetId: user!.id, after: { email, name: body.name, has_password: passwordHash !== null } });
    }
    const [inserted] = await tx.insert(memberships).values({ orgId: p.orgId, userId: user!.id, role: body.role }).onConflictDoNothing().returning();
    if (!inserted) throw new ApiError(409, "conflict", `${email} is already a member of this org`);
    await setProjectRoles(tx, p.orgId, user!.id, body.project_roles);
    const json = (await memberJson(tx, p.orgId, user!.id))!;
    await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.create", targetType: "user", targetId: user!.id, after: { role: json.role, project_roles: json.project_roles } });
    return json;
  });
}

export async function updateMember(db: Queryable, p: Principal, actor: AuditActor, userId: string, body: z.infer<typeof UpdateMember>) {
  return db.transaction(async (tx) => {
    const before = await memberJson(tx, p.orgId, userId);
    if (!before) throw new ApiError(404, "not_found", `user ${userId} not found`);
    if (body.role !== undefined && body.role !== before.role) {
      checkGrant(p, before.role, body.role);
      if (before.role === "owner" && (await ownerCount(tx, p.orgId)) <= 1) throw new ApiError(409, "conflict", "cannot demote the org's last owner");
      await tx.update(memberships).set({ role: body.role }).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
    }
    if (body.project_roles) await setProjectRoles(tx, p.orgId, userId, body.project_roles);
    if (body.name !== undefined) await tx.update(users).set({ name: body.name }).where(eq(users.id, userId));
    if (body.disabled !== undefined) {
      if (before.role === "owner" || before.role === "admin") checkGrant(p, before.role, before.role);
      await tx.update(users).set({ disabledAt: body.disabled ? new Date() : null }).where(eq(users.id, userId));
      if (body.disabled) await tx.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.userId, userId));
    }
    const after = (await memberJson(tx, p.orgId, userId))!;
    await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.update", targetType: "user", targetId: userId, before, after: { ...after, ...(body.disabled !== undefined && { disabled: body.disabled }) } });
    return after;
  });
}

export async function removeMember(db: Queryable, p: Principal, actor: AuditActor, userId: string) {
  return db.transaction(async (tx) => {
    const before = await memberJson(tx, p.orgId, userId);
    if (!before) throw new ApiError(404, "not_found", `user ${userId} not found`);
    checkGrant(p, before.role, undefined);
    if (before.role === "owner" && (await ownerCount(tx, p.orgId)) <= 1) throw new ApiError(409, "conflict", "cannot remove the org's last owner");
    await tx.delete(projectRoles).where(and(eq(projectRoles.orgId, p.orgId), eq(projectRoles.userId, userId)));
    await tx.delete(memberships).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
    await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.orgId, p.orgId), eq(sessions.userId, userId)));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.delete", targetType: "user", targetId: userId, before });
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
    await recordAudit(tx, actor, { orgId: p.orgId, action: "user.password_change", targetType: "user", targetId: p.userId, details: { had_password: user.passwordHash !== null } });
  });
}
