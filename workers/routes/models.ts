import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { ModelParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { CreateModel, Model, ModelListQuery, UpdateModel, createModel, listModels, loadModel, modelJson, updateModel } from "../registry/models.ts";
import { pageOf } from "../registry/pagination.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["registry"];

const list = createRoute({
  method: "get",
  path: "/v1/models",
  tags,
  summary: "List models",
  description: "Cursor-paginated; filter by project, owner, tag or name substring; sort by name, created_at or updated_at.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: ModelListQuery },
  responses: { 200: jsonResponse(pageOf(Model).openapi("ModelPage"), "A page of models"), ...authErrors },
});

const create = createRoute({
  method: "post",
  path: "/v1/models",
  tags,
  summary: "Register a model",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { body: jsonBody(CreateModel) },
  responses: { 201: jsonResponse(Model, "The new model"), ...authErrors, ...errorResponses(404, 409) },
});

const get = createRoute({
  method: "get",
  path: "/v1/models/{model}",
  tags,
  summary: "Get a model",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: ModelParams },
  responses: { 200: jsonResponse(Model, "The model"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/models/{model}",
  tags,
  summary: "Update a model",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: ModelParams, body: jsonBody(UpdateModel) },
  responses: { 200: jsonResponse(Model, "The updated model"), ...authErrors, ...errorResponses(404) },
});

export const modelRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listModels(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(create, async (c) => c.json(await createModel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201))
  .openapi(get, async (c) => {
    const row = await loadModel(c.var.db(), principalOf(c), c.req.valid("param").model);
    return c.json(modelJson(row.m, row.project), 200);
  })
  .openapi(patch, async (c) => c.json(await updateModel(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").model, c.req.valid("json")), 200));
