/**
 * A failed API call, carrying the shared error body `{ error: { code, message, details? } }`
 * when the server sent one, or a synthetic code for network and parse failures.
 */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Reads the shared error body; falls back to the status text for anything else (HTML from a proxy, empty body). */
export function errorFromBody(status: number, statusText: string, body: unknown): ApiRequestError {
  if (typeof body === "object" && body !== null && "error" in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === "object" && e !== null) {
      const { code, message, details } = e as Record<string, unknown>;
      if (typeof code === "string" && typeof message === "string") return new ApiRequestError(status, code, message, details);
    }
  }
  return new ApiRequestError(status, `http_${status}`, `${status} ${statusText || "request failed"}`);
}

/** One line for a banner: the message, plus the field names a validation error listed. */
export function describeError(err: unknown): string {
  if (err instanceof ApiRequestError) {
    const fields = fieldList(err.details);
    return fields ? `${err.message} (${fields})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

function fieldList(details: unknown): string {
  if (!Array.isArray(details)) return "";
  const names = details
    .map((d) => (typeof d === "object" && d !== null ? (d as Record<string, unknown>).field ?? (d as Record<string, unknown>).path : undefined))
    .filter((f): f is string => typeof f === "string");
  return names.join(", ");
}

/** The server has no such route at all (an older server without the feature), as opposed to a missing resource. */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiRequestError && err.status === 404 && err.code === "not_found" && err.message.startsWith("no route");
}
