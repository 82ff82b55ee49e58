import type { z } from "@hono/zod-openapi";

/** A required JSON request body, for createRoute's `request.body`. */
export function jsonBody<T extends z.ZodTypeAny>(schema: T, description?: string) {
  return { required: true, content: { "application/json": { schema } }, ...(description && { description }) };
}

/** A JSON response entry, for createRoute's `responses`. */
export function jsonResponse<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
