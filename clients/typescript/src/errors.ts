// What a sender learns when Vigil refuses a batch: the one error body every route
// returns, `{ error: { code, message, details? } }`, with the HTTP status.

/** A batch Vigil refused for good (a 4xx other than 408 and 429), or gave up on after the last retry. */
export class VigilError extends Error {
  /** HTTP status, or 0 when no response came (network failure, timeout). */
  readonly status: number;
  /** The error body's `code` (`validation_failed`, `schema_mismatch`, …), or `network_error`. */
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "VigilError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Reads the shared error body; anything else becomes `http_<status>` with the text it carried. */
export async function errorFromResponse(res: Response): Promise<VigilError> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (body.error && typeof body.error.code === "string" && typeof body.error.message === "string") {
      return new VigilError(res.status, body.error.code, body.error.message, body.error.details);
    }
  } catch {
    // not JSON: a proxy's page
  }
  return new VigilError(res.status, `http_${res.status}`, text.slice(0, 500) || res.statusText);
}

/** Statuses worth retrying: the server may answer differently later. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
