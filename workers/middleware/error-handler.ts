import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, errorResponse } from "../errors.ts";
import { logError } from "../security/log-safe.ts";

/** Error codes for statuses that hono or the runtime raise without one of ours. */
const codeForStatus: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_entity",
  429: "rate_limited",
  503: "unavailable",
};

/**
 * Turns every failure into the shared error body with its true status. Anything
 * unexpected is hidden behind a generic 500, so internals never leak, and logged without
 * anything the request carried: the route's pattern (`/v1/models/:model`, not the path)
 * and the error described by security/log-safe.ts (no query parameters, no body, no
 * secrets; a database error's statement without its values).
 */
export const onError: ErrorHandler = function onError(err, c: Context) {
  if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return errorResponse(c, status, codeForStatus[status] ?? "http_error", err.message || "request failed");
  }
  logError(`unhandled error on ${c.req.method} ${routePath(c, -1) || "(no route)"}`, err);
  return errorResponse(c, 500, "internal", "internal server error");
};

export const notFound: NotFoundHandler = function notFound(c) {
  return errorResponse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
};
