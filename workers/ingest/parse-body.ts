// Turns an ingest body into its envelope (model, version, batch id) and raw events.
// JSON: `{ model, version, batch_id?, events: [...] }`. NDJSON: one event per line,
// with model, version and batch_id in the query string; a line that is not JSON is
// rejected on its own, like any other bad event.
import { ApiError } from "../errors.ts";
import { MAX_ID_LENGTH } from "./limits.ts";

export interface ParsedBody {
  model: string;
  version: string;
  batchId: string | null;
  /** Raw events; undefined where an NDJSON line did not parse (see lineErrors). */
  items: unknown[];
  lineErrors: Map<number, string>;
}

const JSON_TYPES = new Set(["application/json"]);
const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"]);

export type BodyFormat = "json" | "ndjson";

/** The body format from Content-Type; 415 names the accepted types. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (JSON_TYPES.has(type)) return "json";
  if (NDJSON_TYPES.has(type)) return "ndjson";
  throw new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type "${type || "(none)"}" is not accepted; send application/json (one batch object) or application/x-ndjson (one event per line, model and version in the query)`,
  );
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "malformed_body", `${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A required name field (model, version): a non-empty string of at most 256 characters. */
export function nameField(value: unknown, field: string): string {
  if (value === undefined || value === null) throw new ApiError(400, "validation_failed", `${field}: required`, [{ field, error: "required" }]);
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_ID_LENGTH || value.includes(":")) {
    const error = `must be a non-empty string of at most ${MAX_ID_LENGTH} characters without ':'`;
    throw new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
  }
  return value;
}

export function batchIdField(value: unknown, field = "batch_id"): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "" || value.length > MAX_ID_LENGTH) {
    const error = `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`;
    throw new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
  }
  return value;
}

/** The object body of a JSON request; 400 when it is not an object. */
export function objectBody(text: string): Record<string, unknown> {
  const body = parseJson(text, "body");
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "malformed_body", "body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

export function arrayField(body: Record<string, unknown>, field: string): unknown[] {
  const value = body[field];
  if (!Array.isArray(value)) {
    const error = value === undefined ? "required" : "must be an array";
    throw new ApiError(400, "validation_failed", `${field}: ${error}`, [{ field, error }]);
  }
  return value;
}

export function parseIngestBody(text: string, format: BodyFormat, query: (name: string) => string | undefined): ParsedBody {
  if (format === "json") {
    const body = objectBody(text);
    return {
      model: nameField(body.model, "model"),
      version: nameField(body.version, "version"),
      batchId: batchIdField(body.batch_id),
      items: arrayField(body, "events"),
      lineErrors: new Map(),
    };
  }
  const model = nameField(query("model"), "model (query)");
  const version = nameField(query("version"), "version (query)");
  const batchId = batchIdField(query("batch_id"), "batch_id (query)");
  const items: unknown[] = [];
  const lineErrors = new Map<number, string>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    try {
      items.push(JSON.parse(trimmed));
    } catch (error) {
      lineErrors.set(items.length, `line is not valid JSON: ${(error as Error).message}`);
      items.push(undefined);
    }
  }
  return { model, version, batchId, items, lineErrors };
}
