// The OpenAPI side of the one error body (workers/errors.ts): the `Error` schema and the
// response entries every route declares for the failures it can return. A route passes
// its own description where it says more than the generic one (which 422s, say).
import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "model credit-risk not found" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const DESCRIPTIONS = {
  400: "Invalid request: `details` names each bad field",
  401: "Missing, malformed, unknown, revoked or expired credentials",
  403: "Authenticated, but the key's scopes or the user's role do not allow this (or the CSRF check failed)",
  404: "No such resource in the caller's org (another org's resources are never revealed)",
  409: "Conflicts with the current state (e.g. the name is taken)",
  413: "Request body too large",
  415: "Unsupported Content-Type or Content-Encoding; the message names the accepted ones",
  422: "Well-formed, but nothing in it can be used",
  428: "The change needs electronic signatures (`signature_required`); `details` says how many and how many so far",
  429: "Rate limited; `details` says how long to wait",
  500: "Unexpected server error",
  503: "Postgres unavailable",
} as const;

export type ErrorStatus = keyof typeof DESCRIPTIONS;

interface ErrorEntry {
  description: string;
  content: { "application/json": { schema: typeof ErrorSchema } };
}

const entry = (description: string): ErrorEntry => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/** OpenAPI response entries for the given error statuses, all with the shared error body. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  const out = {} as Record<S, ErrorEntry>;
  for (const s of statuses) out[s] = entry(DESCRIPTIONS[s]);
  return out;
}

/** Like errorResponses, with the route's own description of each status. */
export function describedErrors<const S extends ErrorStatus>(descriptions: Record<S, string>) {
  const out = {} as Record<S, ErrorEntry>;
  for (const s of Object.keys(descriptions) as unknown as S[]) out[s] = entry(descriptions[s]);
  return out;
}

/** The 429 of the per-org ingest rate limit (ingest, actuals, outcomes), which always sends Retry-After. */
export const rateLimitedResponse = {
  429: {
    ...entry("Over the org's per-second request limit for this route; retry after `Retry-After` seconds (also in `details.retry_after_seconds`)"),
    headers: { "Retry-After": { description: "Seconds to wait", required: true, schema: { type: "integer" as const, minimum: 1 } } },
  },
};

/** The errors every authenticated route can return. */
export const authErrors = errorResponses(400, 401, 403, 503);

/** Security requirement for routes open to API keys and signed-in users. */
export const orgSecurity: Array<Record<string, string[]>> = [{ apiKey: [] }, { session: [] }];
