// Tamper evidence for the audit log: each entry's hash covers its content and the
// previous entry's hash (a hash chain, as in RFC 6962's log idea, without the tree).
// Changing or deleting any row breaks every hash after it.

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  orgId: string | null;
  at: string;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export async function auditEntryHash(prevHash: string, content: AuditContent): Promise<string> {
  const data = new TextEncoder().encode(`${prevHash}\n${canonicalJson(content)}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
