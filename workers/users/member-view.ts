import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { requireOrgWide } from "../authz/access.ts";
import { ROLES, type Role } from "../authz/roles.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, projectRoles, projects, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { PageQuery, decodeCursor, encodeCursor } from "../registry/pagination.ts";

// How an org sees its members. A user account is global; an org sees only its own
// membership of it (role, project roles, suspension) and the account's name and email.
// Whether the account has a password is a fact about its credentials, shown only to the
// user themself and to instance admins, so adding an existing account to another org
// tells that org nothing about it.

export const RoleSchema = z.enum(ROLES);
export const ProjectRoles = z.record(z.string(), RoleSchema).openapi({ description: "project slug → a narrower role there" });

export const Member = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    project_roles: ProjectRoles,
    suspended: z.boolean().openapi({ description: "the membership is suspended: the user cannot act in this org" }),
    created_at: z.string(),
    has_password: z.boolean().nullable().openapi({ description: "whether the account has a password; null unless you are that user or an instance admin" }),
  })
  .openapi("User");

export type MemberJson = z.infer<typeof Member>;

export const MemberListQuery = PageQuery.omit({ order: true }).extend({ role: RoleSchema.optional() });

/** Whether `p` may see the account's credential facts (its own, or as an instance admin). */
export function seesAccount(p: Principal, userId: string): boolean {
  return p.kind === "user" && (p.userId === userId || p.instanceAdmin);
}

/** The membership of `userId` in `orgId` as the org sees it, or undefined when there is none. */
export async function memberJson(db: Queryable, orgId: string, userId: string, viewer: Principal): Promise<MemberJson | undefined> {
  const [row] = await db
    .select({ u: users, role: memberships.role, suspendedAt: memberships.suspendedAt })
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
    suspended: row.suspendedAt !== null,
    created_at: row.u.createdAt.toISOString(),
    has_password: seesAccount(viewer, row.u.id) ? row.u.passwordHash !== null : null,
  };
}

export async function getMember(db: Queryable, p: Principal, userId: string): Promise<MemberJson> {
  requireOrgWide(p, "read", "the org's member list");
  const m = await memberJson(db, p.orgId, userId, p);
  if (!m) throw new ApiError(404, "not_found", `user ${userId} not found`);
  return m;
}

export async function listMembers(db: Queryable, p: Principal, q: z.infer<typeof MemberListQuery>) {
  requireOrgWide(p, "read", "the org's member list");
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
  const items = await Promise.all(rows.slice(0, q.limit).map((r) => memberJson(db, p.orgId, r.id, p)));
  const last = rows[q.limit - 1];
  return { items: items.filter((m) => m !== undefined), next_cursor: rows.length > q.limit && last ? encodeCursor({ v: last.email, id: last.id }) : null };
}
