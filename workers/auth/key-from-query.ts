// `?key=<api key>` for callers that cannot set an Authorization header: browsers opening
// a WebSocket, and payload loggers (KServe, Seldon) that post to a configured URL with no
// way to add headers. The key is the same revocable API key (give such a caller its own,
// limited to one model with the ingest scope, and revoke it alone). Header and cookie
// auth stay with authorize(); this only sets the principal when the query names a key.
// URLs reach no log with the key in them: log-safe.ts masks key shapes anywhere.
import type { MiddlewareHandler } from "hono";
import { redisFor } from "../clients/redis.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { requestKeyHash } from "./api-key.ts";
import { isKeyUsable, lookupKey } from "./key-store.ts";

export function keyFromQuery(): MiddlewareHandler<AppEnv> {
  return async function keyFromQueryMiddleware(c, next) {
    const token = c.req.query("key");
    if (token) {
      const record = await lookupKey(await requestKeyHash(token), { db: c.var.db, redis: redisFor(c.env) });
      if (!record) throw new ApiError(401, "unauthorized", "unknown API key");
      if (!isKeyUsable(record)) throw new ApiError(401, "unauthorized", `API key ${record.prefix} is revoked or expired`);
      c.set("principal", {
        kind: "api_key", orgId: record.orgId, keyId: record.keyId, prefix: record.prefix,
        scopes: record.scopes, projectId: record.projectId, modelId: record.modelId,
      });
    }
    await next();
  };
}
