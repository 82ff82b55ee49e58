// Which reports a caller may list, read and download: the same reach that generating
// them needs (scope.ts). A drift, performance or model-risk report is visible to whoever
// may read its model's project (a model-limited key: that model only); an audit-trail or
// gdpr-processing report needs admin there, or org-wide admin when it covers the org.
import { and, eq, inArray, isNotNull, not, notInArray, or, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { orgWideScopes, scopesOn } from "../authz/access.ts";
import { scopeSatisfies } from "../authz/scopes.ts";
import type { Queryable } from "../db/queryable.ts";
import { models, reports } from "../db/schema/index.ts";

const COMPLIANCE_KINDS = ["audit-trail", "gdpr-processing"];

/** A condition on `reports` (undefined: every report of the org). */
export async function visibleReports(db: Queryable, p: Principal): Promise<SQL | undefined> {
  const compliance = inArray(reports.kind, COMPLIANCE_KINDS);
  if (p.kind === "api_key" && (p.projectId || p.modelId)) {
    let reach: SQL | undefined = p.projectId ? eq(reports.projectId, p.projectId) : undefined;
    if (p.modelId) {
      const [m] = await db.select({ name: models.name, projectId: models.projectId }).from(models).where(eq(models.id, p.modelId));
      if (!m) return eq(reports.id, "00000000-0000-0000-0000-000000000000"); // the key's model is gone: nothing
      reach = and(eq(reports.projectId, m.projectId), eq(reports.model, m.name));
    }
    return scopeSatisfies(p.scopes, "admin") ? reach : and(reach, not(compliance));
  }
  const everywhere = orgWideScopes(p);
  if (everywhere && scopeSatisfies(everywhere, "admin")) return undefined;
  if (p.kind === "user" && scopeSatisfies(p.scopes, "admin")) {
    // Admin in the org, narrowed in some projects: compliance reports of every other project.
    const narrowed = Object.keys(p.projectRoles).filter((id) => !scopeSatisfies(scopesOn(p, { projectId: id }) ?? [], "admin"));
    return or(not(compliance), and(isNotNull(reports.projectId), narrowed.length ? notInArray(reports.projectId, narrowed) : undefined));
  }
  return not(compliance);
}
