import type { MiddlewareHandler } from "hono";
import { openDatabase, type Database } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { logError } from "../security/log-safe.ts";

/**
 * Gives handlers `c.var.db()`: a database opened on first use and closed once the
 * response is out. Routes that never touch Postgres (the ingest hot path) pay nothing.
 */
export function database(): MiddlewareHandler<AppEnv> {
  return async function databaseMiddleware(c, next) {
    let opened: Database | undefined;
    c.set("db", () => {
      if (opened) return opened;
      const url = c.env.DATABASE_URL;
      if (!url) throw new ApiError(503, "database_unconfigured", "DATABASE_URL is not set for this deployment");
      opened = openDatabase(url, c.env.NEON_WS_PROXY);
      return opened;
    });
    try {
      await next();
    } finally {
      if (opened) {
        const end = opened.$client.end().catch((err: unknown) => logError("postgres pool end failed", err));
        try {
          c.executionCtx.waitUntil(end);
        } catch {
          // No execution context (app.request in tests): the promise still settles on its own.
        }
      }
    }
  };
}
