// The route matrix's callers (route-matrix.test.ts): who calls, and the request shape a
// table row builds for each. The fixture creates one principal per column; the table says
// what each must get.
/**
 * The callers, in the order of the table's columns. The matrix model lives in the own
 * org's `default` project.
 *  anon     no credentials
 *  inst     the instance admin token (INSTANCE_ADMIN_TOKEN): instance routes only
 *  owner, admin, editor, viewer   signed-in users of the own org with that org role
 *  narrowed a user who is admin in the org but viewer in the model's project
 *  k:ingest, k:read, k:write, k:admin   org-wide API keys with that one scope
 *  kP:in    admin key limited to the model's project;  kP:out  admin key limited to another project
 *  kM:in    admin key limited to the model;            kM:out  admin key limited to another model of the same project
 *  x:owner, x:key   the other org's owner and admin key
 */
export const COLUMNS = ["anon", "inst", "owner", "admin", "editor", "viewer", "narrowed", "k:ingest", "k:read", "k:write", "k:admin", "kP:in", "kP:out", "kM:in", "kM:out", "x:owner", "x:key"] as const;
export type Who = (typeof COLUMNS)[number];
export const OTHER_ORG: ReadonlySet<Who> = new Set(["x:owner", "x:key"]);
export const LIMITED_OUTSIDE: ReadonlySet<Who> = new Set(["kP:out", "kM:out"]);

export interface Call {
  path: string;
  body?: unknown;
  /** Sent instead of JSON (content type in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
}
