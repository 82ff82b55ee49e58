// /v1/report-schedules: reports generated on a cron (UTC) by the Worker's per-minute
// trigger and delivered to channels (workers/reports/schedules/). CRUD only; the run
// itself is workers/reports/schedules/run.ts, its reports are listed by GET /v1/reports?schedule_id=.
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { IdParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { MAX_RANGE_DAYS } from "../reports/request.ts";
import { ScheduleListQuery, SchedulePatch, ScheduleRequest, ScheduleView } from "../reports/schedules/request.ts";
import { createSchedule, deleteSchedule, getSchedule, listSchedules, updateSchedule } from "../reports/schedules/store.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["reports"];
const reach =
  "Needs write on the model (drift, performance, model-risk) or admin on the scope (audit-trail, gdpr-processing: the org, a project or a model), as POST /v1/reports checks read or admin.";

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Schedule a report",
  description:
    "Each time `cron` (five fields, UTC) comes round, the report of `kind` over the `range` before that time is generated like POST /v1/reports and sent to `channels`: a link for Slack, Teams and PagerDuty, a signed JSON body (`type: report.ready`, the report's id, SHA-256 and download URL) for webhooks, retried like alert deliveries. " +
    `Range: an ISO 8601 duration in weeks, days or hours, at most ${Object.entries(MAX_RANGE_DAYS).map(([k, d]) => `${d} days for ${k}`).join(", ")}; by default the cron's period (P7D for a weekly cron). ` +
    "400 names the field: `cron` with the problem (field count, a value out of range, a bad step, a date that never comes), `range`, `channels.i` (no such channel in the org, or a kind that cannot take a report), or the scope fields as POST /v1/reports. " +
    reach,
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { body: jsonBody(ScheduleRequest) },
  responses: { 201: jsonResponse(ScheduleView, "The schedule, with `next_run_at`"), ...authErrors, ...describedErrors({ 404: "A model, version or project the caller cannot see, or that does not exist" }) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List report schedules, newest first",
  description: "Only schedules whose reports the caller may read.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: ScheduleListQuery },
  responses: { 200: jsonResponse(pageOf(ScheduleView).openapi("ReportSchedulePage"), "A page of schedules"), ...authErrors },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A report schedule: next and last run, last report and error",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(ScheduleView, "The schedule"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change a report schedule",
  description: `Fields given replace the stored ones and the result is checked as on create. A new \`cron\` (or \`enabled: true\` after a pause) moves \`next_run_at\` to the cron's next time from now; a new cron without a \`range\` returns the range to the cron's default. ${reach}`,
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams, body: jsonBody(SchedulePatch) },
  responses: { 200: jsonResponse(ScheduleView, "The schedule as changed"), ...authErrors, ...errorResponses(404) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a report schedule",
  description: "Reports it made stay (their `schedule_id` becomes null). Audited.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 204: { description: "deleted" }, ...authErrors, ...errorResponses(404) },
});

export const reportScheduleRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createSchedule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json(await listSchedules(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(get, async (c) => c.json(await getSchedule(c.var.db(), principalOf(c), c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await updateSchedule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(remove, async (c) => {
    await deleteSchedule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
