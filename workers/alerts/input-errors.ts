// How the alert, rule, delivery and channel services answer input they cannot use, in
// the shapes every route shares: an id that cannot exist is a 404 like a missing row
// (nothing about the id's form leaks), a bad field is a 400 naming it, as zod's
// validation hook would.
import { ApiError } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `id` when it is a UUID; else 404 "<what> <id> not found", before Postgres would refuse the cast. */
export function parseUuid(id: string, what: string): string {
  if (!UUID.test(id)) throw new ApiError(404, "not_found", `${what} ${id} not found`);
  return id;
}

/** 400 naming the field, in the same shape as a failed zod validation. */
export function invalidField(field: string, error: string): ApiError {
  return new ApiError(400, "validation_failed", `invalid json: ${field}: ${error}`, [{ field, error }]);
}
