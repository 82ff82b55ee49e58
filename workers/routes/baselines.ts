import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import type { Context } from "hono";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { parseDataset, profileDataset } from "../registry/baseline-upload.ts";
import { Baseline, BaselineListQuery, CreateBaseline, activateBaseline, createBaseline, getBaseline, listBaselines } from "../registry/baselines.ts";
import type { FeatureSpec } from "../registry/feature-schema.ts";
import { loadVersion } from "../registry/version-service.ts";
import { pageOf } from "../registry/pagination.ts";
import { actorOf, principalOf } from "./request-context.ts";
import { VersionParams } from "./versions.ts";

const BaselineParams = VersionParams.extend({ id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }) });
const tags = ["registry"];
const base = "/v1/models/{model}/versions/{version}/baselines";

const list = createRoute({
  method: "get",
  path: base,
  tags,
  summary: "List a version's baseline profiles",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams, query: BaselineListQuery },
  responses: { 200: jsonResponse(pageOf(Baseline).openapi("BaselinePage"), "A page of baselines"), ...authErrors, ...errorResponses(404) },
});

const create = createRoute({
  method: "post",
  path: base,
  tags,
  summary: "Store a baseline profile (stats/profile format), active by default",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: VersionParams, body: jsonBody(CreateBaseline) },
  responses: { 201: jsonResponse(Baseline, "The stored baseline"), ...authErrors, ...errorResponses(404, 409) },
});

const get = createRoute({
  method: "get",
  path: `${base}/{id}`,
  tags,
  summary: "Get a baseline with its profile",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: BaselineParams },
  responses: { 200: jsonResponse(Baseline, "The baseline"), ...authErrors, ...errorResponses(404) },
});

const activate = createRoute({
  method: "post",
  path: `${base}/{id}/activate`,
  tags,
  summary: "Make this baseline the active one",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: BaselineParams, body: { required: false, content: { "application/json": { schema: z.object({ note: z.string().max(2_000).optional() }) } } } },
  responses: { 200: jsonResponse(Baseline, "The now active baseline"), ...authErrors, ...errorResponses(404) },
});

const upload = createRoute({
  method: "put",
  path: "/v1/models/{model}/versions/{version}/baseline",
  tags,
  summary: "Set the active baseline from a reference dataset (CSV, JSON Lines or JSON array)",
  description: "Profiles the dataset with stats/profile (the version's features, or every column), stores it as a new baseline and makes it active.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: {
    params: VersionParams,
    query: z.object({ name: z.string().min(1).max(200).optional(), prediction: z.string().optional().openapi({ description: "the prediction column, profiled for prediction drift" }) }),
    // Not `required`: with it the JSON validator would also run on CSV and JSON Lines bodies.
    body: { required: false, content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() }, "application/json": { schema: z.array(z.record(z.string(), z.unknown())) } } },
  },
  responses: { 201: jsonResponse(Baseline, "The stored, active baseline"), ...authErrors, ...errorResponses(404, 409, 413) },
});

const MAX_DATASET_BYTES = 50 * 1024 * 1024;

/** Hands the now-active profile to the version's monitor; the registry row is the record, so a failure here is logged, not fatal. */
async function pushToMonitor(c: Context<AppEnv>, model: string, version: string, profile: unknown) {
  try {
    await monitorStub(c.env, principalOf(c).orgId, model, version).setBaseline(profile);
  } catch (err) {
    console.error(`baseline stored but not yet applied by the monitor of ${model}:${version}:`, (err as Error).message);
  }
}

async function activeProfile(c: Context<AppEnv>, model: string, version: string, id: string) {
  return (await getBaseline(c.var.db(), principalOf(c), model, version, id)).profile;
}

export const baselineRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => {
    const { model, version } = c.req.valid("param");
    return c.json(await listBaselines(c.var.db(), principalOf(c), model, version, c.req.valid("query")), 200);
  })
  .openapi(create, async (c) => {
    const { model, version } = c.req.valid("param");
    const body = c.req.valid("json");
    const created = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, body);
    if (created.active) await pushToMonitor(c, model, version, body.profile);
    return c.json(created, 201);
  })
  .openapi(get, async (c) => {
    const { model, version, id } = c.req.valid("param");
    return c.json(await getBaseline(c.var.db(), principalOf(c), model, version, id), 200);
  })
  .openapi(activate, async (c) => {
    const { model, version, id } = c.req.valid("param");
    const body = c.req.valid("json") as { note?: string } | undefined;
    const activated = await activateBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, id, body?.note);
    await pushToMonitor(c, model, version, await activeProfile(c, model, version, id));
    return c.json(activated, 200);
  })
  .openapi(upload, async (c) => {
    const { model, version } = c.req.valid("param");
    const q = c.req.valid("query");
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_DATASET_BYTES) throw new ApiError(413, "payload_too_large", `reference datasets are limited to ${MAX_DATASET_BYTES} bytes; build the profile locally (stats/profile) and POST it to …/baselines`);
    const { row } = await loadVersion(c.var.db(), principalOf(c), model, version, "write");
    const dataset = parseDataset(c.req.header("content-type") ?? "", await c.req.text());
    const profile = profileDataset(dataset, row.featureSchema as FeatureSpec[], q.prediction);
    const name = q.name ?? `upload ${new Date().toISOString()}`;
    const created = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, { name, profile: profile as unknown as Record<string, unknown>, activate: true });
    await pushToMonitor(c, model, version, profile);
    return c.json(created, 201);
  });
