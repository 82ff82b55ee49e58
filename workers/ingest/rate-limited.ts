// The HTTP face of the per-org rate limit (rate-limit.ts) for ingest, actuals and
// outcomes: a 429 in the shared error body with Retry-After, which ApiError cannot carry.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { errorBody } from "../errors.ts";
import { checkIngestRate } from "./rate-limit.ts";

/** 429 with Retry-After, or undefined when the org may go on. */
export async function rateLimited(c: Context<AppEnv>, route: string): Promise<Response | undefined> {
  const verdict = await checkIngestRate(c.env, c.var.principal!.orgId, route);
  if (verdict.ok) return undefined;
  return c.json(errorBody("rate_limited", verdict.message, { retry_after_seconds: verdict.retryAfterSeconds }), 429, {
    "Retry-After": String(verdict.retryAfterSeconds),
  });
}
