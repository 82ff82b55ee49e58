// The report schedules API's contract (POST/PATCH/GET /v1/report-schedules): what a
// schedule takes and how it is shown. Routes import these; the OpenAPI document is
// generated from them. Checks the schema cannot express (the cron expression, the range,
// channels of the org, the scope) are in store.ts, each naming its field.
import { z } from "@hono/zod-openapi";
import { REPORT_FORMATS, REPORT_KINDS } from "../document.ts";

/** Channels one schedule may deliver to. */
export const MAX_SCHEDULE_CHANNELS = 20;

const Cron = z.string().min(1).max(200).openapi({
  description: "Five fields, evaluated in UTC: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-7 or SUN-SAT; 0 and 7 are Sunday). Values, `*`, lists `a,b`, ranges `a-b` and steps `*/n`, `a-b/n`.",
  example: "0 7 * * 1",
});
const Range = z.string().min(1).max(40).openapi({
  description: "The window each run covers, ending at the run's scheduled time: an ISO 8601 duration in weeks, days and/or hours (`PT6H`, `P1D`, `P7D`, `P1DT12H`, `P2W`). Default: the cron's period (the longest gap between its runs, e.g. P7D for a weekly cron, P1D for a daily one), at least one hour and at most what the kind allows.",
  example: "P7D",
});
const Channels = z.array(z.string().uuid()).max(MAX_SCHEDULE_CHANNELS).openapi({ description: "Channel ids of the org (webhook, slack, pagerduty or teams) that receive each report: a link for chat and PagerDuty, a signed JSON body with the report's id, SHA-256 and download link for webhooks" });

export const ScheduleRequest = z
  .object({
    name: z.string().min(1).max(200).optional().openapi({ description: "Default: the kind, scope and cron" }),
    kind: z.enum(REPORT_KINDS),
    project: z.string().min(1).max(63).optional().openapi({ description: "project slug (audit-trail, gdpr-processing)" }),
    model: z.string().min(1).max(128).optional(),
    version: z.string().min(1).max(128).optional(),
    cron: Cron,
    format: z.enum(REPORT_FORMATS),
    channels: Channels,
    range: Range.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi("ReportScheduleRequest");
export type ScheduleRequestBody = z.infer<typeof ScheduleRequest>;

export const SchedulePatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    kind: z.enum(REPORT_KINDS).optional(),
    project: z.string().min(1).max(63).nullable().optional().openapi({ description: "null clears it" }),
    model: z.string().min(1).max(128).nullable().optional().openapi({ description: "null clears it" }),
    version: z.string().min(1).max(128).nullable().optional().openapi({ description: "null clears it" }),
    cron: Cron.optional(),
    format: z.enum(REPORT_FORMATS).optional(),
    channels: Channels.optional(),
    range: Range.nullable().optional().openapi({ description: "null returns to the cron's default" }),
    enabled: z.boolean().optional().openapi({ description: "Re-enabling runs next at the cron's next time from now (missed runs are not caught up)" }),
  })
  .strict()
  .openapi("ReportSchedulePatch");
export type SchedulePatchBody = z.infer<typeof SchedulePatch>;

export const ScheduleView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    kind: z.enum(REPORT_KINDS),
    format: z.enum(REPORT_FORMATS),
    project: z.string().nullable().openapi({ description: "project slug, for org-wide kinds limited to a project" }),
    model: z.string().nullable(),
    version: z.string().nullable(),
    cron: z.string(),
    range: z.string().openapi({ description: "ISO 8601 duration each run covers", example: "P7D" }),
    range_hours: z.number().int(),
    channels: z.array(z.string().uuid()),
    enabled: z.boolean(),
    created_by: z.object({ type: z.string(), id: z.string() }),
    created_at: z.string(),
    updated_at: z.string(),
    next_run_at: z.string().nullable().openapi({ description: "UTC; null while disabled" }),
    last_run_at: z.string().nullable(),
    last_report_id: z.string().uuid().nullable().openapi({ description: "The report the last run made (GET /v1/reports/{id}); also GET /v1/reports?schedule_id=" }),
    last_error: z.string().nullable().openapi({ description: "Why the last run made no report, or why its report failed" }),
  })
  .openapi("ReportSchedule");
export type ScheduleViewBody = z.infer<typeof ScheduleView>;

export const ScheduleListQuery = z.object({
  cursor: z.string().optional().openapi({ description: "`next_cursor` from the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  kind: z.enum(REPORT_KINDS).optional(),
  model: z.string().optional(),
});
export type ScheduleListFilter = z.infer<typeof ScheduleListQuery>;
