import type { Hook } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import { errorBody, type FieldIssue } from "./errors.ts";
import { unsafeTextIssues } from "./security/unsafe-text.ts";


export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    // A strict object names the keys it does not know: each is reported as its own field.
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ field: [...issue.path, key].map(String).join("."), error: "unknown field" }));
    return [{ field: issue.path.length ? issue.path.map(String).join(".") : "(body)", error: issue.message }];
  });
}

/**
 * Every zod-validated route reports a failed validation the same way: 400 (422 for a
 * well-formed body that breaks a rule would be defensible, but clients branch on 400),
 * with each bad field named in `details` and the first one in the message.
 *
 * The hook also refuses text that cannot be stored (NUL, lone surrogates; see
 * security/unsafe-text.ts) in every validated part, body, query and path alike, record
 * keys and nested fields included, so no route schema has to remember it. A valid
 * request is screened as the handler will see it (zod's output); an invalid one as sent.
 */
export const validationHook: Hook<unknown, any, any, any> = (result, c) => {
  const issues = result.success ? [] : fieldIssues(result.error as ZodError);
  issues.push(...unsafeTextIssues((result as { data?: unknown }).data));
  if (result.success && issues.length === 0) return;
  const first = issues[0];
  const message = first ? `invalid ${result.target}: ${first.field}: ${first.error}` : `invalid ${result.target}`;
  return c.json(errorBody("validation_failed", message, issues), 400);
};
