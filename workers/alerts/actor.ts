import type { Principal } from "../auth/principal.ts";

/** Who or what changed an alert; recorded on its activity and in the audit log. */
export interface Actor {
  type: "system" | "api_key" | "user";
  id: string;
}

export const EVALUATOR: Actor = { type: "system", id: "evaluator" };

export function actorOf(p: Principal): Actor {
  if (p.kind === "api_key") return { type: "api_key", id: p.prefix };
  // Users are named by email when the principal carries one (dashboard sessions).
  const user = p as { email?: string; userId?: string };
  return { type: "user", id: user.email ?? user.userId ?? "unknown" };
}

export function actorLabel(a: Actor): string {
  return a.type === "system" ? "Vigil" : a.id;
}
