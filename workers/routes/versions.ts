import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { ModelParams, VersionParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { CreateVersion, Promote, PromoteResult, UpdateVersion, Version, VersionListQuery } from "../registry/version-schemas.ts";
import { createVersion, getVersion, listVersions, promoteVersion, updateVersion } from "../registry/version-service.ts";
import { PendingApproval } from "../signatures/schemas.ts";
import { actorOf, principalOf } from "./request-context.ts";
import { signerOf } from "./signer.ts";

const tags = ["registry"];
const base = "/v1/models/{model}/versions";

const list = createRoute({
  method: "get",
  path: base,
  tags,
  summary: "List a model's versions",
  description: "Cursor-paginated; filter by stage; sort by created_at or version.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: ModelParams, query: VersionListQuery },
  responses: { 200: jsonResponse(pageOf(Version).openapi("ModelVersionPage"), "A page of versions"), ...authErrors, ...errorResponses(404) },
});

const create = createRoute({
  method: "post",
  path: base,
  tags,
  summary: "Register a version with its feature schema",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: ModelParams, body: jsonBody(CreateVersion) },
  responses: { 201: jsonResponse(Version, "The new version"), ...authErrors, ...errorResponses(404, 409) },
});

const get = createRoute({
  method: "get",
  path: `${base}/{version}`,
  tags,
  summary: "Get a version, with its stage history",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams },
  responses: { 200: jsonResponse(Version, "The version"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: `${base}/{version}`,
  tags,
  summary: "Update a version (schema, thresholds, metadata, stage)",
  description:
    "When the org's signature policy requires it (`threshold_change`), a change of `thresholds` needs `signature` from signed-in users: it applies once enough distinct users signed " +
    "the same record, and answers 202 with the pending approval until then. While promotions to production need signatures, `stage: production` is refused (428): use POST …/promote.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: VersionParams, body: jsonBody(UpdateVersion) },
  responses: {
    200: jsonResponse(Version, "The updated version"),
    202: jsonResponse(PendingApproval, "Signed; the threshold change waits for more signers"),
    ...authErrors,
    ...errorResponses(404, 409, 428, 429),
  },
});

const promote = createRoute({
  method: "post",
  path: `${base}/{version}/promote`,
  tags,
  summary: "Promote a version to staging or production",
  description:
    "Archives the versions currently in the target stage unless `archive_previous` is false. Every stage change is recorded. When the org's signature policy requires it " +
    "(`production_promotion`), a promotion to production needs `signature` (`{ password, meaning }`) from signed-in users, never API keys (403): without one it answers 428 " +
    "`signature_required`; with one it answers 202 with the pending approval until the required number of distinct users signed the same record (version, stage, baseline, thresholds), then promotes. " +
    "A wrong password is 401 (audited, and counted against the sign-in limits: 429 past them).",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: VersionParams, body: jsonBody(Promote) },
  responses: {
    200: jsonResponse(PromoteResult, "The promoted version, the versions it archived and the signatures that approved it"),
    202: jsonResponse(PendingApproval, "Signed; the promotion waits for more signers"),
    ...authErrors,
    ...errorResponses(404, 409, 428, 429),
  },
});

export const versionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listVersions(c.var.db(), principalOf(c), c.req.valid("param").model, c.req.valid("query")), 200))
  .openapi(create, async (c) => c.json(await createVersion(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").model, c.req.valid("json")), 201))
  .openapi(get, async (c) => {
    const { model, version } = c.req.valid("param");
    return c.json(await getVersion(c.var.db(), principalOf(c), model, version), 200);
  })
  .openapi(patch, async (c) => {
    const { model, version } = c.req.valid("param");
    const body = c.req.valid("json");
    const signer = await signerOf(c, body.signature, { action: "threshold_change", model, version });
    const result = await updateVersion(c.var.db(), principalOf(c), actorOf(c), model, version, body, signer);
    if ("pending" in result) return c.json({ status: "pending_approval" as const, approval: result.pending }, 202);
    return c.json(result, 200);
  })
  .openapi(promote, async (c) => {
    const { model, version } = c.req.valid("param");
    const body = c.req.valid("json");
    const signer = await signerOf(c, body.signature, { action: "production_promotion", model, version });
    const result = await promoteVersion(c.var.db(), principalOf(c), actorOf(c), model, version, body, signer);
    if ("pending" in result) return c.json({ status: "pending_approval" as const, approval: result.pending }, 202);
    return c.json(result, 200);
  });
