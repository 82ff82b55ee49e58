import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env.ts";
import { database } from "./middleware/database.ts";
import { limitJsonBodies } from "./middleware/json-body.ts";
import { notFound, onError } from "./middleware/error-handler.ts";
import { rejectUnsafeUrlText } from "./middleware/url-text.ts";
import { redocPage, swaggerPage } from "./openapi/redoc.ts";
import { actuals } from "./routes/actuals.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { ruleRoutes } from "./routes/alert-rules.ts";
import { channelRoutes } from "./routes/channels.ts";
import { erasureRoutes } from "./routes/erasure.ts";
import { retentionRoutes } from "./routes/retention.ts";
import { policyRoutes } from "./routes/policies.ts";
import { signatureRoutes } from "./routes/signatures.ts";
import { health } from "./routes/health.ts";
import { ingest } from "./routes/ingest.ts";
import { integrations } from "./routes/integrations.ts";
import { live } from "./routes/live.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { monitoring } from "./routes/monitoring.ts";
import { validationHook } from "./validation.ts";
import { requireRoutePolicy } from "./authz/policy.ts";
import { securitySchemes } from "./openapi/security.ts";
import { auditRoutes } from "./routes/audit.ts";
import { baselineRoutes } from "./routes/baselines.ts";
import { keyRoutes } from "./routes/keys.ts";
import { modelRoutes } from "./routes/models.ts";
import { orgRoutes } from "./routes/orgs.ts";
import { projectRoutes } from "./routes/projects.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { userRoutes } from "./routes/users.ts";
import { versionRoutes } from "./routes/versions.ts";
import { impactRoutes } from "./routes/impact.ts";
import { reportRoutes } from "./routes/reports.ts";
import { reportScheduleRoutes } from "./routes/report-schedules.ts";

/** Builds the API: one error shape, one validation hook, routes mounted per resource (under their prefix where they have one). */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(notFound);
  // Before anything reads the URL: a path or query that decodes to NUL never reaches a handler.
  app.use("/v1/*", rejectUnsafeUrlText());
  app.use("/parties/*", rejectUnsafeUrlText());
  app.use("/v1/*", limitJsonBodies());
  app.use("/v1/*", database());
  app.use("/v1/*", requireRoutePolicy());

  app.route("/", health);
  app.route("/", ingest);
  app.route("/", integrations);
  app.route("/", live);
  app.route("/", actuals);
  app.route("/", monitoring);
  app.route("/", metricsRoutes);
  app.route("/v1/channels", channelRoutes);
  app.route("/v1/rules", ruleRoutes);
  app.route("/", alertRoutes);
  app.route("/v1/orgs", orgRoutes);
  app.route("/v1/projects", projectRoutes);
  app.route("/v1/keys", keyRoutes);
  app.route("/v1/users", userRoutes);
  app.route("/v1/sessions", sessionRoutes);
  app.route("/", modelRoutes);
  app.route("/", versionRoutes);
  app.route("/", baselineRoutes);
  app.route("/", impactRoutes);
  app.route("/v1/audit", auditRoutes);
  app.route("/v1/erasure", erasureRoutes);
  app.route("/", retentionRoutes);
  app.route("/v1/policies", policyRoutes);
  app.route("/", signatureRoutes);
  app.route("/v1/reports", reportRoutes);
  app.route("/v1/report-schedules", reportScheduleRoutes);

  for (const [name, scheme] of Object.entries(securitySchemes)) app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: { title: "Vigil API", version: c.env.VIGIL_VERSION, description: "Edge-native ML model monitoring." },
  }));
  app.get("/docs", (c) => c.html(swaggerPage("/openapi.json")));
  app.get("/redoc", (c) => c.html(redocPage("/openapi.json")));
  return app;
}

export type App = ReturnType<typeof createApp>;
