import type { Principal } from "../auth/principal.ts";

/** Who or what changed an alert; recorded on its activity and in the audit log. */
export interface Actor {
  type: "system" | "api_key" | "user";
  id: string;
}

export const EVALUATOR: Actor = { type: "system", id: "evaluator" };

export function actorOf(p: Principal): Actor {
  return { type: p.kind === "api_key" ? "api_key" : "user", id: p.kind === "api_key" ? p.prefix : String((p as { userId?: string }).userId ?? "unknown") };
}

export function actorLabel(a: Actor): string {
  return a.type === "system" ? "Vigil" : a.id;
}
