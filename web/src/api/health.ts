import type { ApiClient } from "./client.ts";
import { literal, object, str, type Parser } from "./parse.ts";

const dep = literal("ok", "error", "disabled");
export const parseHealth = object({ status: literal("ok", "degraded", "unavailable"), postgres: dep, redis: dep, kafka: dep, version: str });
export type Health = ReturnType<typeof parseHealth>;

export function getHealth(api: ApiClient, signal?: AbortSignal): Promise<Health> {
  // 503 still carries the body; the client turns it into an error, which the banner shows.
  return api.get("/v1/health", parseHealth as Parser<Health>, signal);
}
