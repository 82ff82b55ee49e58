import { and, eq, gt, isNull } from "drizzle-orm";
import { hashApiKey } from "../auth/api-key.ts";
import type { Queryable } from "../db/queryable.ts";
import { loginLinks } from "../db/schema/index.ts";

// One-time login links (the bootstrap admin's way in): a random token, stored as its
// SHA-256, usable once before it expires. Imported by scripts/lib/bootstrap.ts too.

export const LOGIN_LINK_TTL_MS = 60 * 60 * 1000;
export const LOGIN_LINK_PATH = "/v1/sessions/link";

function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function createLoginLink(db: Queryable, userId: string, orgId: string, ttlMs = LOGIN_LINK_TTL_MS): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insert(loginLinks).values({ tokenHash: await hashApiKey(token), userId, orgId, expiresAt });
  return { token, expiresAt };
}

/** Marks the link used and returns whom it signs in; undefined if unknown, used or expired. Atomic, so a link works once. */
export async function consumeLoginLink(db: Queryable, token: string): Promise<{ userId: string; orgId: string } | undefined> {
  const [row] = await db
    .update(loginLinks)
    .set({ usedAt: new Date() })
    .where(and(eq(loginLinks.tokenHash, await hashApiKey(token)), isNull(loginLinks.usedAt), gt(loginLinks.expiresAt, new Date())))
    .returning({ userId: loginLinks.userId, orgId: loginLinks.orgId });
  return row;
}
