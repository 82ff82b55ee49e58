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
  429: "Rate limited; retry after `Retry-After` seconds",
  500: "Unexpected server error",
  503: "Postgres unavailable",
} as const;

type ErrorStatus = keyof typeof DESCRIPTIONS;

/** OpenAPI response entries for the given error statuses, all with the shared error body. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
  for (const s of statuses) out[s] = { description: DESCRIPTIONS[s], content: { "application/json": { schema: ErrorSchema } } };
  return out;
}

/** The errors every authenticated route can return. */
export const authErrors = errorResponses(400, 401, 403, 503);

/** Security requirement for routes open to API keys and signed-in users. */
export const orgSecurity: Array<Record<string, string[]>> = [{ apiKey: [] }, { session: [] }];
