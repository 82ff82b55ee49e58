// Bodies of the JSON API routes (users, keys, rules, channels, registry, …) are read here,
// before the route's zod validator parses them, with the limits batch bodies have: bytes on
// the wire and after gzip, and a structural budget checked while decoding
// (ingest/json-shape.ts). Without it hono's `c.req.json()` parsed any body whole, so an
// unauthenticated 30 MB `[{},…]` to POST /v1/sessions cost hundreds of MB of heap. What is
// read is handed to the validator through hono's body cache, so it is parsed once.
//
// The batch routes (and the payload-logger integration) read their own bodies with their own (larger) limits, and the baseline
// upload streams CSV and JSON Lines, so they are left alone here.
import type { MiddlewareHandler } from "hono";
import { readBodyText } from "../ingest/read-body.ts";
import type { ShapeLimits } from "../ingest/json-shape.ts";
import { MAX_FEATURES } from "../ingest/limits.ts";
import type { BodyLimits } from "../ingest/stream-body.ts";

/** No API body but a batch needs more: a feature schema of MAX_FEATURES features is about 100 KB. */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;
const LIMITS: BodyLimits = { wire: MAX_JSON_BODY_BYTES, inflated: MAX_JSON_BODY_BYTES };
/** Budget units: a feature schema holds one object per feature, so MAX_FEATURES of them fit. */
const SHAPE: ShapeLimits = {
  maxItems: MAX_FEATURES,
  items: "fields",
  code: "body_too_complex",
  lines: false,
  message: (what) => `request body is more complex than any API body needs (${what})`,
};

const READS_OWN_BODY = [/^\/v1\/(ingest|actuals|outcomes)$/, /^\/v1\/integrations\/cloudevents$/, /^\/v1\/models\/[^/]+\/versions\/[^/]+\/baseline$/];
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export function limitJsonBodies(): MiddlewareHandler {
  return async function limitJsonBodiesMiddleware(c, next) {
    const type = c.req.header("content-type") ?? "";
    const path = c.req.path;
    // An empty body (a JSON client posting to a route that takes none: a channel test send) passes as before.
    const empty = c.req.header("content-length") === "0";
    if (c.req.raw.body && !empty && JSON_TYPE.test(type) && !READS_OWN_BODY.some((r) => r.test(path))) {
      const text = await readBodyText(c.req.raw, SHAPE, LIMITS);
      // hono keeps promises in the body cache (HonoRequest #cachedBody) but types it by their values.
      c.req.bodyCache.text = Promise.resolve(text) as unknown as string;
    }
    await next();
  };
}
