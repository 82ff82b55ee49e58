// GET /metrics: every model version the caller may read, in the Prometheus text format
// (or OpenMetrics when the scraper's Accept header asks for it). Outside /v1 because
// that is where scrapers look; authenticated like the API (a read-scoped key as a
// Bearer token), so the app-wide /v1 middleware is applied here by hand. The metrics,
// their labels and cardinality: docs/observability.md.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { database } from "../middleware/database.ts";
import { rejectUnsafeUrlText } from "../middleware/url-text.ts";
import { collectMetrics } from "../observability/collect.ts";
import { CONTENT_TYPES, negotiateFormat, render } from "../observability/exposition.ts";
import { authErrors, orgSecurity } from "../openapi/errors.ts";
import { principalOf } from "./request-context.ts";

const exposition = (description: string) => ({ schema: z.string().openapi({ description }) });

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["monitoring"],
  summary: "Prometheus / OpenMetrics exposition of every readable model version",
  description:
    "Per model version: events ingested and rejected, drift score and flag per feature and window, dataset drift share, performance, data-quality rates, label coverage, " +
    "open alerts by severity, freshness and outbox sink health (docs/observability.md lists every metric). " +
    "Only the versions the caller may read: a key limited to a project or model sees only those. " +
    "`Accept: application/openmetrics-text` selects OpenMetrics 1.0.0; otherwise the Prometheus text format 0.0.4. " +
    "A monitor that does not answer is reported with `vigil_monitor_up 0` and counted in `vigil_scrape_errors`; the scrape still succeeds.",
  security: orgSecurity,
  middleware: [rejectUnsafeUrlText(), database(), authorize({ scope: "read" })] as const,
  responses: {
    200: {
      description: "The exposition",
      content: {
        [CONTENT_TYPES.prometheus]: exposition("Prometheus text exposition format 0.0.4"),
        [CONTENT_TYPES.openmetrics]: exposition("OpenMetrics 1.0.0 text, ending in `# EOF`"),
      },
    },
    ...authErrors,
  },
});

export const metricsRoutes = new OpenAPIHono<AppEnv>();

metricsRoutes.openapi(metricsRoute, async (c) => {
  const format = negotiateFormat(c.req.header("accept"));
  const set = await collectMetrics(c.env, c.var.db(), principalOf(c));
  return c.body(render(set.families(), format), 200, { "content-type": CONTENT_TYPES[format], "cache-control": "no-store" });
});
