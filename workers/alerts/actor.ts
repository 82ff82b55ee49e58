// Who changed an alert, as its activity rows store it. People and keys come from the
// request (routes/request-context.ts `actorOf`); the evaluator stands for Vigil itself.
import type { AuditActor } from "../audit/record.ts";

/** The narrow part of an audit actor that alert activity stores and notifications name. */
export type Actor = Pick<AuditActor, "type" | "id">;

export const EVALUATOR: Actor = { type: "system", id: "evaluator" };

export function actorLabel(a: Actor): string {
  return a.type === "system" ? "Vigil" : a.id;
}
