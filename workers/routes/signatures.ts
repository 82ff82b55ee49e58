// GET /v1/signatures and GET /v1/approvals: who signed what (21 CFR Part 11 §11.50), and
// the signed changes waiting for more signers. A signature of one target is shown to
// whoever may read that target's model; the whole org's list needs org-wide read.
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { requireTargetReadable } from "../signatures/targets.ts";
import { Approval, ApprovalListQuery, Signature, SignatureListQuery } from "../signatures/schemas.ts";
import { listApprovals, listSignatures } from "../signatures/store.ts";
import { principalOf } from "./request-context.ts";

const tags = ["compliance"];

const signaturesRoute = createRoute({
  method: "get",
  path: "/v1/signatures",
  tags,
  summary: "Electronic signatures: signer, meaning, time (UTC) and the hash of the record signed",
  description:
    "`target_type` and `target_id` together list one record's signatures (`model_version`: promotions and threshold changes of that version; `baseline`: its activation). " +
    "Without them, the org's signatures (org-wide read). Oldest first unless `order=desc`.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: SignatureListQuery },
  responses: { 200: jsonResponse(pageOf(Signature).openapi("SignaturePage"), "A page of signatures"), ...authErrors, ...errorResponses(404) },
});

const approvalsRoute = createRoute({
  method: "get",
  path: "/v1/approvals",
  tags,
  summary: "Signed changes and their approvals (pending, applied, superseded)",
  description: "Each holds the exact record signed, its SHA-256, the signers needed and the signatures so far. Org-wide read.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: ApprovalListQuery },
  responses: { 200: jsonResponse(pageOf(Approval).openapi("ApprovalPage"), "A page of approvals"), ...authErrors },
});

export const signatureRoutes = new OpenAPIHono<AppEnv>()
  .openapi(signaturesRoute, async (c) => {
    const p = principalOf(c);
    const q = c.req.valid("query");
    if ((q.target_type === undefined) !== (q.target_id === undefined)) {
      const field = q.target_type === undefined ? "target_type" : "target_id";
      throw new ApiError(400, "validation_failed", `invalid query: ${field}: required with ${field === "target_type" ? "target_id" : "target_type"}`, [{ field, error: "give target_type and target_id together" }]);
    }
    if (q.target_type && q.target_id) await requireTargetReadable(c.var.db(), p, q.target_type, q.target_id);
    else requireOrgWide(p, "read", "the org's signatures");
    return c.json(await listSignatures(c.var.db(), p.orgId, { ...q, targetType: q.target_type, targetId: q.target_id }), 200);
  })
  .openapi(approvalsRoute, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "read", "the org's approvals");
    const q = c.req.valid("query");
    return c.json(await listApprovals(c.var.db(), p.orgId, { ...q, targetId: q.target_id }), 200);
  });
