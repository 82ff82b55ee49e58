// What every kind's gatherer receives: the database, the bindings (for the model
// versions' monitors), the resolved scope and the checked range.
import type { Queryable } from "../../db/queryable.ts";
import type { Bindings } from "../../env.ts";
import type { AuditAnchor } from "../document.ts";
import type { ReportRange } from "../range.ts";
import type { ReportScope } from "../scope.ts";

export interface GatherContext {
  db: Queryable;
  env: Bindings;
  scope: ReportScope;
  range: ReportRange;
  now: number;
  /** The chain as verified when generation started (the audit-trail report shows it). */
  anchor: AuditAnchor;
}

export const iso = (t: number | Date | null | undefined): string | null => (t === null || t === undefined ? null : new Date(t).toISOString());
