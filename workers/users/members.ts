import { z } from "@hono/zod-openapi";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import { requireGrant } from "../authz/grants.ts";
import type { Role } from "../authz/roles.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, projectRoles, projects, sessions, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { changeAccount, requireAccountOwner } from "./accounts.ts";
import { ProjectRoles, RoleSchema, memberJson, type MemberJson } from "./member-view.ts";
import { hashPassword } from "./password.ts";

// Org memberships: an org admin adds accounts to their own org, sets their role and
// project roles, suspends or removes the membership. Every grant goes through
// authz/grants.ts (`requireGrant`), so a principal never hands out more than it holds;
// account attributes (name, password, disabled) are left to users/accounts.ts.

export const CreateMember = z
  .object({
    email: z.string().email(),
    name: z.string().max(200).default("").openapi({ description: "used only when the account is new; an existing account keeps its own" }),
    password: z.string().min(12, "must be at least 12 characters").max(1_000).optional().openapi({ description: "used only when the account is new; an existing account keeps its own credentials" }),
    role: RoleSchema,
    project_roles: ProjectRoles.default({}),
  })
  .openapi("CreateUser");

export const UpdateMember = z
  .object({
    role: RoleSchema.optional(),
    project_roles: z.record(z.string(), RoleSchema.nullable()).optional().openapi({ description: "null removes a project's narrowing" }),
    suspended: z.boolean().optional().openapi({ description: "suspend (or resume) the membership in this org; revokes the user's sessions here" }),
    name: z.string().max(200).optional().openapi({ description: "the account's name: only the user themself or an instance admin may change it" }),
    disabled: z.boolean().optional().openapi({ description: "disable the account in every org (revokes all its sessions): only the user themself or an instance admin" }),
  })
  .openapi("UpdateUser");

/** Whether the org keeps an owner who can act (not suspended, not disabled) without this user. */
async function keepsAnotherOwner(db: Queryable, orgId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner"), ne(memberships.userId, userId), isNull(memberships.suspendedAt), isNull(users.disabledAt)));
  return (row?.n ?? 0) > 0;
}

async function projectIdOf(db: Queryable, orgId: string, slug: string): Promise<string> {
  const [project] = await db.select({ id: projects.id }).from(projects).where(and(eq(projects.orgId, orgId), eq(projects.slug, slug)));
  if (!project) throw new ApiError(400, "validation_failed", `invalid json: project_roles.${slug}: no such project`, [{ field: `project_roles.${slug}`, error: "no such project" }]);
  return project.id;
}

/** Checks every project-role change against the caller's reach in that project, then writes them. */
async function setProjectRoles(db: Queryable, p: Principal, userId: string, targetOrgRoles: readonly Role[], roles: Record<string, Role | null>, current: Record<string, Role>) {
  const resolved = await Promise.all(Object.entries(roles).map(async ([slug, role]) => ({ slug, role, projectId: await projectIdOf(db, p.orgId, slug) })));
  for (const { slug, role, projectId } of resolved) {
    for (const targetOrgRole of targetOrgRoles) requireGrant(p, { kind: "project_role", projectId, role, targetOrgRole, current: current[slug] ?? null });
  }
  for (const { role, projectId } of resolved) {
    await db.delete(projectRoles).where(and(eq(projectRoles.projectId, projectId), eq(projectRoles.userId, userId)));
    if (role) await db.insert(projectRoles).values({ projectId, userId, orgId: p.orgId, role });
  }
}

export async function addMember(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof CreateMember>): Promise<MemberJson> {
  requireGrant(p, { kind: "org_role", role: body.role });
  const passwordHash = body.password ? await hashPassword(body.password) : null;
  return db.transaction(async (tx) => {
    const email = body.email.toLowerCase();
    let [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!user) {
      [user] = await tx.insert(users).values({ email, name: body.name, passwordHash }).returning({ id: users.id });
      await recordAudit(tx, actor, { orgId: p.orgId, action: "user.create", targetType: "user", targetId: user!.id, after: { email, name: body.name, has_password: passwordHash !== null } });
    }
    const [inserted] = await tx.insert(memberships).values({ orgId: p.orgId, userId: user!.id, role: body.role }).onConflictDoNothing().returning();
    if (!inserted) throw new ApiError(409, "conflict", `${email} is already a member of this org`);
    await setProjectRoles(tx, p, user!.id, [body.role], body.project_roles, {});
    const json = (await memberJson(tx, p.orgId, user!.id, p))!;
    await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.create", targetType: "user", targetId: user!.id, after: { email, role: json.role, project_roles: json.project_roles } });
    return json;
  });
}

export async function updateMember(db: Queryable, p: Principal, actor: AuditActor, userId: string, body: z.infer<typeof UpdateMember>): Promise<MemberJson> {
  if (body.name !== undefined) requireAccountOwner(p, userId, "name");
  if (body.disabled !== undefined) requireAccountOwner(p, userId, "disabled");
  return db.transaction(async (tx) => {
    const before = await memberJson(tx, p.orgId, userId, p);
    if (!before) throw new ApiError(404, "not_found", `user ${userId} not found`);
    const membershipChanged = (body.role !== undefined && body.role !== before.role) || body.project_roles !== undefined || (body.suspended !== undefined && body.suspended !== before.suspended);
    if (body.role !== undefined && body.role !== before.role) {
      requireGrant(p, { kind: "org_role", role: body.role, from: before.role });
      if (before.role === "owner" && !(await keepsAnotherOwner(tx, p.orgId, userId))) throw new ApiError(409, "conflict", "cannot demote the org's last owner");
      await tx.update(memberships).set({ role: body.role }).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
    }
    if (body.project_roles) {
      const targetRoles = body.role && body.role !== before.role ? [before.role, body.role] : [before.role];
      await setProjectRoles(tx, p, userId, targetRoles, body.project_roles, before.project_roles);
    }
    if (body.suspended !== undefined && body.suspended !== before.suspended) {
      requireGrant(p, { kind: "membership", target: before.role });
      if (body.suspended && before.role === "owner" && !(await keepsAnotherOwner(tx, p.orgId, userId))) throw new ApiError(409, "conflict", "cannot suspend the org's last owner");
      await tx.update(memberships).set({ suspendedAt: body.suspended ? new Date() : null }).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
      if (body.suspended) await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.orgId, p.orgId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    }
    await changeAccount(tx, actor, userId, { ...(body.name !== undefined && { name: body.name }), ...(body.disabled !== undefined && { disabled: body.disabled }) });
    const after = (await memberJson(tx, p.orgId, userId, p))!;
    if (membershipChanged) await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.update", targetType: "user", targetId: userId, before, after });
    return after;
  });
}

export async function removeMember(db: Queryable, p: Principal, actor: AuditActor, userId: string): Promise<void> {
  return db.transaction(async (tx) => {
    const before = await memberJson(tx, p.orgId, userId, p);
    if (!before) throw new ApiError(404, "not_found", `user ${userId} not found`);
    requireGrant(p, { kind: "membership", target: before.role });
    if (before.role === "owner" && !(await keepsAnotherOwner(tx, p.orgId, userId))) throw new ApiError(409, "conflict", "cannot remove the org's last owner");
    await tx.delete(projectRoles).where(and(eq(projectRoles.orgId, p.orgId), eq(projectRoles.userId, userId)));
    await tx.delete(memberships).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
    await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.orgId, p.orgId), eq(sessions.userId, userId)));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "membership.delete", targetType: "user", targetId: userId, before });
  });
}
