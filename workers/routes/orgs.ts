import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { errorResponses } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { CreateOrg, CreatedOrg, createOrg } from "../registry/orgs.ts";
import { actorOf } from "./request-context.ts";

const instanceAdminSecurity: Array<Record<string, string[]>> = [{ instanceAdminToken: [] }, { session: [] }];

const create = createRoute({
  method: "post",
  path: "/",
  tags: ["orgs"],
  summary: "Create an org (instance admins only)",
  description:
    "Authenticate with `Authorization: Bearer <INSTANCE_ADMIN_TOKEN>` (printed by `npm start`; a secret in production) or as a signed-in user flagged instance admin. Creates the org, its `default` project and an admin API key, shown once.",
  security: instanceAdminSecurity,
  middleware: [authorize({ instanceAdmin: true })] as const,
  request: { body: jsonBody(CreateOrg) },
  responses: { 201: jsonResponse(CreatedOrg, "The org and its first admin key"), ...errorResponses(400, 401, 403, 409, 503) },
});

export const orgRoutes = new OpenAPIHono<AppEnv>().openapi(create, async (c) => c.json(await createOrg(c.var.db(), actorOf(c), c.req.valid("json")), 201));
