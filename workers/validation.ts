import type { Hook } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import { errorBody } from "./errors.ts";

/** One validation problem, naming the field by its dotted path. */
export interface FieldIssue {
  field: string;
  error: string;
}

export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join(".") : "(body)",
    error: issue.message,
  }));
}

/**
 * Every zod-validated route reports a failed validation the same way: 400 (422 for a
 * well-formed body that breaks a rule would be defensible, but clients branch on 400),
 * with each bad field named in `details` and the first one in the message.
 */
export const validationHook: Hook<unknown, any, any, any> = (result, c) => {
  if (result.success) return;
  const issues = fieldIssues(result.error as ZodError);
  const first = issues[0];
  const message = first ? `invalid ${result.target}: ${first.field}: ${first.error}` : `invalid ${result.target}`;
  return c.json(errorBody("validation_failed", message, issues), 400);
};
