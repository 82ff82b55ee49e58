// Resource-level limits on rules, alerts and deliveries, after the route policy admitted
// the caller to the org: a key (or user role) narrowed to a project or model sees and
// changes only that model's rules and alerts. Org-wide channels are checked with
// authz/access.ts `requireOrgWide` (alerts/channel-service.ts).
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { Principal } from "../auth/principal.ts";
import { requireOn, requireOrgWide } from "../authz/access.ts";
import type { Queryable } from "../db/queryable.ts";
import { alerts, models } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";

/**
 * 404 (`<what> not found`) when the model is not the caller's to see, 403 when it may see but
 * not `scope`. With no model (an org-wide rule, an alert without a model, a delivery of no
 * alert such as a report's), the resource concerns every project: `scope` is needed on all
 * of them, so a user narrowed in one project gets the role held there.
 */
export async function requireModelAccess(db: Queryable, p: Principal, modelId: string | null, scope: ApiKeyScope, what: string): Promise<void> {
  const notFound = `${what} not found`;
  if (modelId === null) {
    if (p.kind === "api_key" && (p.projectId || p.modelId)) throw new ApiError(404, "not_found", notFound);
    requireOrgWide(p, scope, what);
    return;
  }
  const [m] = await db.select({ projectId: models.projectId }).from(models).where(and(eq(models.id, modelId), eq(models.orgId, p.orgId))).limit(1);
  if (!m) throw new ApiError(404, "not_found", notFound);
  requireOn(p, { projectId: m.projectId, modelId }, scope, notFound);
}

/** Extra filter for alert listings of a limited key; undefined when it sees the whole org. */
export function alertScopeFilter(db: Queryable, p: Principal): SQL | undefined {
  if (p.kind !== "api_key") return undefined;
  if (p.modelId) return eq(alerts.modelId, p.modelId);
  if (p.projectId) return inArray(alerts.modelId, db.select({ id: models.id }).from(models).where(eq(models.projectId, p.projectId)));
  return undefined;
}
