import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./registry.ts";

// Report schedules (issue 16; workers/reports/schedules/, migrations 0013 and 0017): a report
// kind, scope and format generated on a cron (UTC) by the Worker's per-minute trigger and
// delivered to channels. `next_run_at` is when it falls due; a run claims it by moving it on
// with a conditional UPDATE, so one occurrence runs once however many isolates look.

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const reportSchedules = pgTable(
  "report_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    format: text("format").notNull(),
    projectId: uuid("project_id"),
    model: text("model"),
    version: text("version"),
    cron: text("cron").notNull(),
    /** Each run covers the `range_hours` before its start. */
    rangeHours: integer("range_hours").notNull(),
    channels: uuid("channels").array().notNull().default(sql`'{}'::uuid[]`),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: jsonb("created_by").$type<{ type: string; id: string }>().notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    /** The next occurrence of `cron` after the last run (or creation); null while disabled. */
    nextRunAt: tz("next_run_at"),
    lastRunAt: tz("last_run_at"),
    lastReportId: uuid("last_report_id"),
    lastError: text("last_error"),
  },
  (t) => [index("report_schedules_org").on(t.orgId, t.createdAt, t.id), index("report_schedules_due").on(t.nextRunAt).where(sql`"enabled"`)],
);
