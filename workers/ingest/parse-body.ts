// Turns an ingest body into its envelope (model, version, batch id) and raw events.
// JSON: `{ model, version, batch_id?, events: [...] }`. NDJSON: one event per line,
// with model, version and batch_id in the query string; a line that is not JSON is
// rejected on its own, like any other bad event.
// Text that cannot be stored (NUL, lone surrogates: security/unsafe-text.ts) gets a 400
// naming the field in the envelope, and rejects its own event like any other bad value
// (one truncated emoji in a client's text feature should not cost the other 9,999). The
// walk runs only when the raw text holds a `\u0000` or surrogate escape, the only way
// such text survives JSON.parse, so a clean batch pays one indexOf.
import { ApiError } from "../errors.ts";
import { firstUnsafeText, jsonMayHoldUnsafeText, unsafeTextIssues } from "../security/unsafe-text.ts";
import type { FieldIssue } from "../errors.ts";
import { MAX_ID_LENGTH } from "./limits.ts";

export interface ParsedBody {
  model: string;
  version: string;
  batchId: string | null;
  /** Raw events; undefined where an NDJSON line did not parse (see itemErrors). */
  items: unknown[];
  /** Events rejected before validation (a line that is not JSON, unstorable text), by index. */
  itemErrors: Map<number, FieldIssue>;
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

/**
 * The object body of a JSON request; 400 when it is not an object, or when text outside
 * `itemsField` (whose records the caller screens one by one) cannot be stored.
 */
export function objectBody(text: string, itemsField?: string): Record<string, unknown> {
  const body = parseJson(text, "body");
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "malformed_body", "body must be a JSON object");
  }
  if (jsonMayHoldUnsafeText(text)) {
    const envelope = itemsField === undefined ? body : Object.fromEntries(Object.entries(body).filter(([k]) => k !== itemsField));
    const issues = unsafeTextIssues(envelope);
    if (issues.length > 0) throw new ApiError(400, "validation_failed", `invalid json: ${issues[0]!.field}: ${issues[0]!.error}`, issues);
  }
  return body as Record<string, unknown>;
}

/** Marks each item holding unstorable text as rejected, naming the field within the item. */
function screenItems(text: string, items: readonly unknown[], itemErrors: Map<number, FieldIssue>): void {
  if (!jsonMayHoldUnsafeText(text)) return;
  items.forEach((item, index) => {
    const issue = itemErrors.has(index) ? undefined : firstUnsafeText(item);
    if (issue) itemErrors.set(index, issue);
  });
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
    const body = objectBody(text, "events");
    const items = arrayField(body, "events");
    const itemErrors = new Map<number, FieldIssue>();
    screenItems(text, items, itemErrors);
    return { model: nameField(body.model, "model"), version: nameField(body.version, "version"), batchId: batchIdField(body.batch_id), items, itemErrors };
  }
  const model = nameField(query("model"), "model (query)");
  const version = nameField(query("version"), "version (query)");
  const batchId = batchIdField(query("batch_id"), "batch_id (query)");
  const items: unknown[] = [];
  const itemErrors = new Map<number, FieldIssue>();
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    try {
      items.push(JSON.parse(trimmed));
    } catch (error) {
      itemErrors.set(items.length, { field: "(line)", error: `line is not valid JSON: ${(error as Error).message}` });
      items.push(undefined);
    }
  }
  screenItems(text, items, itemErrors);
  return { model, version, batchId, items, itemErrors };
}
