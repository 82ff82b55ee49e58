import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs, projects } from "./registry.ts";

// People: users, their role in each org (narrowed per project), dashboard sessions and
// one-time login links.

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Lower-cased on write, so sign-in is case-insensitive. */
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; null for users who sign in by link only. */
  passwordHash: text("password_hash"),
  /** May create orgs (POST /v1/orgs). */
  instanceAdmin: boolean("instance_admin").notNull().default(false),
  createdAt: createdAt(),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
});

/** owner | admin | editor | viewer, per org. */
export const memberships = pgTable(
  "memberships",
  {
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: createdAt(),
    /** Suspended by an org admin: the account stays, but it cannot act in this org until resumed. */
    suspendedAt: timestamp("suspended_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("memberships_user").on(t.userId)],
);

/** A lower role for one project; the effective role there is the lesser of the two. */
export const projectRoles = pgTable(
  "project_roles",
  {
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** SHA-256 of the cookie value; the value itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** The org this session acts in (chosen at sign-in). */
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    /** Sent back by the client in X-CSRF-Token on cookie-authenticated writes. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const loginLinks = pgTable("login_links", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});
