import { Redis } from "@upstash/redis/cloudflare";
import type { Bindings } from "../env.ts";

const clients = new Map<string, Redis>();

/**
 * The Upstash REST client for this deployment, or undefined when Redis is not
 * configured (every Redis role then falls back to in-isolate or Durable Object state).
 * REST calls are plain fetches, so one client per isolate is safe to reuse.
 */
export function redisFor(env: Bindings): Redis | undefined {
  const url = env.UPSTASH_REDIS_REST_URL;
  if (!url) return undefined;
  const cacheKey = `${url}\n${env.UPSTASH_REDIS_REST_TOKEN ?? ""}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Redis({ url, token: env.UPSTASH_REDIS_REST_TOKEN ?? "", retry: { retries: 1, backoff: () => 50 } });
    clients.set(cacheKey, client);
  }
  return client;
}
