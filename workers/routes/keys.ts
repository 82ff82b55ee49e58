import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { ApiKey, CreateKey, KeyListQuery, NewApiKeyResponse, RotateKey, createKey, listKeys, revokeKey, rotateKey } from "../auth/key-service.ts";
import { invalidateKey } from "../auth/key-store.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { UuidParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { redisFor } from "../clients/redis.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["keys"];

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Issue an API key (the secret is shown once)",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(CreateKey) },
  responses: { 201: jsonResponse(NewApiKeyResponse, "The key, with its secret"), ...authErrors, ...errorResponses(404) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List API keys (prefixes only)",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { query: KeyListQuery },
  responses: { 200: jsonResponse(pageOf(ApiKey).openapi("ApiKeyPage"), "A page of keys"), ...authErrors },
});

const revoke = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Revoke an API key now",
  description: "Takes effect at once on this isolate and in Redis, and within 30 s on other isolates.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams },
  responses: { 200: jsonResponse(ApiKey, "The revoked key"), ...authErrors, ...errorResponses(404) },
});

const rotate = createRoute({
  method: "post",
  path: "/{id}/rotate",
  tags,
  summary: "Rotate an API key: a new key now, the old one valid for an overlap period",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams, body: { required: false, content: { "application/json": { schema: RotateKey } } } },
  responses: { 201: jsonResponse(NewApiKeyResponse, "The replacement key, with its secret"), ...authErrors, ...errorResponses(404, 409) },
});

export const keyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createKey(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json(await listKeys(c.var.db(), principalOf(c), c.req.valid("query")), 200))
  .openapi(revoke, async (c) => {
    const { key, hash } = await revokeKey(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id);
    await invalidateKey(hash, { redis: redisFor(c.env) });
    return c.json(key, 200);
  })
  .openapi(rotate, async (c) => {
    const body = (c.req.valid("json") as z.infer<typeof RotateKey> | undefined) ?? { overlap_seconds: 86_400 };
    const { created, oldHash } = await rotateKey(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, body.overlap_seconds ?? 86_400);
    // Cached copies still say "not revoked"; drop them so the overlap end is honoured.
    await invalidateKey(oldHash, { redis: redisFor(c.env) });
    return c.json(created, 201);
  });
