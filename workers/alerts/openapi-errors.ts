import { z } from "@hono/zod-openapi";

// The shared error body, documented once for the alert, rule and channel routes.
const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi("AlertsError");

const WHY: Record<number, string> = {
  400: "invalid input; `details` names each bad field",
  401: "missing or invalid credentials",
  403: "the caller lacks the required scope",
  404: "no such resource in the caller's org",
  409: "the resource is in a state that does not allow this",
};

export function errorResponses<S extends 400 | 401 | 403 | 404 | 409>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: WHY[s]!, content: { "application/json": { schema: ErrorBody } } }])) as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorBody } } }>;
}
