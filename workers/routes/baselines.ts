import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { VersionParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import type { Context } from "hono";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { pseudonymizeBaseline } from "../pii/apply.ts";
import { ActivateBaseline, Baseline, BaselineListQuery, CreateBaseline, activateBaseline, createBaseline, getBaseline, listBaselines } from "../registry/baselines.ts";
import { pageOf } from "../registry/pagination.ts";
import { logError } from "../security/log-safe.ts";
import { PendingApproval } from "../signatures/schemas.ts";
import { actorOf, principalOf } from "./request-context.ts";
import { signerOf } from "./signer.ts";

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
  description:
    "When the org's signature policy requires it (`baseline_change`), activating needs `signature` from a signed-in user (428 without): the baseline is stored inactive and answered " +
    "202 with the pending approval until enough distinct users signed; later signers sign through POST …/baselines/{id}/activate.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: VersionParams, body: jsonBody(CreateBaseline) },
  responses: {
    201: jsonResponse(Baseline, "The stored baseline"),
    202: jsonResponse(PendingApproval, "Stored, signed, and not active until more users sign"),
    ...authErrors,
    ...errorResponses(404, 409, 428, 429),
  },
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
  description: "When the org's signature policy requires it (`baseline_change`), needs `signature` (428 without); 202 with the pending approval until enough distinct users signed.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: BaselineParams, body: { required: false, content: { "application/json": { schema: ActivateBaseline } } } },
  responses: {
    200: jsonResponse(Baseline, "The now active baseline"),
    202: jsonResponse(PendingApproval, "Signed; the baseline becomes active once more users sign"),
    ...authErrors,
    ...errorResponses(404, 409, 428, 429),
  },
});

/** Hands the now-active profile to the version's monitor; the registry row is the record, so a failure here is logged, not fatal. */
async function pushToMonitor(c: Context<AppEnv>, model: string, version: string, profile: unknown) {
  try {
    await monitorStub(c.env, principalOf(c).orgId, model, version).setBaseline(profile);
  } catch (err) {
    logError(`baseline stored but not yet applied by the monitor of ${model}:${version}`, err);
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
    const json = c.req.valid("json");
    // PII categoricals are stored and monitored as keyed hashes, as ingest sends them (workers/pii/).
    const { record } = await resolveVersion(c, model, version, null, "write");
    const body = { ...json, profile: await pseudonymizeBaseline(c.var.db(), record.orgId, record.featureSchema, json.profile) };
    const signer = await signerOf(c, body.signature, { action: "baseline_change", model, version });
    const created = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, body, signer);
    if ("pending" in created) return c.json({ status: "pending_approval" as const, approval: created.pending }, 202);
    if (created.active) await pushToMonitor(c, model, version, body.profile);
    return c.json(created, 201);
  })
  .openapi(get, async (c) => {
    const { model, version, id } = c.req.valid("param");
    return c.json(await getBaseline(c.var.db(), principalOf(c), model, version, id), 200);
  })
  .openapi(activate, async (c) => {
    const { model, version, id } = c.req.valid("param");
    const body = c.req.valid("json") as z.infer<typeof ActivateBaseline> | undefined;
    const signer = await signerOf(c, body?.signature, { action: "baseline_change", model, version });
    const activated = await activateBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, id, body?.note, signer);
    if ("pending" in activated) return c.json({ status: "pending_approval" as const, approval: activated.pending }, 202);
    await pushToMonitor(c, model, version, await activeProfile(c, model, version, id));
    return c.json(activated, 200);
  });
