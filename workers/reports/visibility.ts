// Which reports a caller may list, read and download: the same reach that generating
// them needs (scope.ts). A drift, performance or model-risk report is visible to whoever
// may read its model's project (a model-limited key: that model only); an audit-trail or
// gdpr-processing report needs admin there, or org-wide admin when it covers the org.
// Report schedules are shown by the same rule as the reports they make.
import { and, eq, inArray, isNotNull, not, notInArray, or, type AnyColumn, type SQL } from "drizzle-orm";
import type { Principal } from "../auth/principal.ts";
import { orgWideScopes, scopesOn } from "../authz/access.ts";
import { scopeSatisfies } from "../authz/scopes.ts";
import type { Queryable } from "../db/queryable.ts";
import { models, reportSchedules, reports } from "../db/schema/index.ts";

const COMPLIANCE_KINDS = ["audit-trail", "gdpr-processing"];

interface Columns {
  id: AnyColumn;
  kind: AnyColumn;
  projectId: AnyColumn;
  model: AnyColumn;
}

/** A condition on `reports` (undefined: every report of the org). */
export function visibleReports(db: Queryable, p: Principal): Promise<SQL | undefined> {
  return visibleRows(db, p, reports);
}

/** A condition on `report_schedules`: the schedules whose reports the caller may read. */
export function visibleSchedules(db: Queryable, p: Principal): Promise<SQL | undefined> {
  return visibleRows(db, p, reportSchedules);
}

async function visibleRows(db: Queryable, p: Principal, t: Columns): Promise<SQL | undefined> {
  const compliance = inArray(t.kind, COMPLIANCE_KINDS);
  if (p.kind === "api_key" && (p.projectId || p.modelId)) {
    let reach: SQL | undefined = p.projectId ? eq(t.projectId, p.projectId) : undefined;
    if (p.modelId) {
      const [m] = await db.select({ name: models.name, projectId: models.projectId }).from(models).where(eq(models.id, p.modelId));
      if (!m) return eq(t.id, "00000000-0000-0000-0000-000000000000"); // the key's model is gone: nothing
      reach = and(eq(t.projectId, m.projectId), eq(t.model, m.name));
    }
    return scopeSatisfies(p.scopes, "admin") ? reach : and(reach, not(compliance));
  }
  const everywhere = orgWideScopes(p);
  if (everywhere && scopeSatisfies(everywhere, "admin")) return undefined;
  if (p.kind === "user" && scopeSatisfies(p.scopes, "admin")) {
    // Admin in the org, narrowed in some projects: compliance reports of every other project.
    const narrowed = Object.keys(p.projectRoles).filter((id) => !scopeSatisfies(scopesOn(p, { projectId: id }) ?? [], "admin"));
    return or(not(compliance), and(isNotNull(t.projectId), narrowed.length ? notInArray(t.projectId, narrowed) : undefined));
  }
  return not(compliance);
}
