// GET and PUT /v1/policies/signatures: which changes need electronic signatures (21 CFR
// Part 11) and from how many distinct users. Org-wide admin: the policy governs every project.
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { loadPolicy, policyView, savePolicy } from "../signatures/policy.ts";
import { SignaturePolicy, SignaturePolicyView } from "../signatures/schemas.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["compliance"];
const WHAT = "the signature policy";

const get = createRoute({
  method: "get",
  path: "/signatures",
  tags,
  summary: "The org's electronic signature policy",
  description: "An org that never set one requires no signatures: every action reads `{ required: false, approvals: 1 }` and `updated_at` is null.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(SignaturePolicyView, "The policy"), ...authErrors },
});

const put = createRoute({
  method: "put",
  path: "/signatures",
  tags,
  summary: "Set which changes need electronic signatures, and from how many distinct users",
  description:
    "All three actions must be given (a missing one is a 400 naming it, never a silent \"not required\"); unknown fields are refused. Audited (`signature_policy.update`, before and after). " +
    "Pending approvals keep their signatures: a change applies when its signers reach the count in force when the last one signs.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(SignaturePolicy) },
  responses: { 200: jsonResponse(SignaturePolicyView, "The policy now in force"), ...authErrors },
});

export const policyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    return c.json(policyView(await loadPolicy(c.var.db(), p.orgId)), 200);
  })
  .openapi(put, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    return c.json(await savePolicy(c.var.db(), p.orgId, actorOf(c), c.req.valid("json")), 200);
  });
