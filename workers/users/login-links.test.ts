// One-time login links on their own: stored as the token's SHA-256, usable once, and only
// before the instant they expire. (The route that consumes them: workers/routes/sessions.test.ts.)
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "../auth/api-key.ts";
import { loginLinks } from "../db/schema/index.ts";
import { seedUser } from "../testing/principals.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { consumeLoginLink, createLoginLink, LOGIN_LINK_PATH, LOGIN_LINK_TTL_MS } from "./login-links.ts";

afterEach(() => vi.useRealTimers());

const T0 = Date.UTC(2026, 0, 1, 12);

function at(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

describe("login links", () => {
  it("stores only the token's hash, with an expiry an hour from now unless told otherwise", async () => {
    expect(LOGIN_LINK_TTL_MS).toBe(3_600_000);
    expect(LOGIN_LINK_PATH).toBe("/v1/sessions/link");
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { userId } = await seedUser(db, orgId, "owner");
      at(T0);
      const link = await createLoginLink(db, userId, orgId);
      expect(link.expiresAt.getTime()).toBe(T0 + 3_600_000);
      const short = await createLoginLink(db, userId, orgId, 5_000);
      expect(short.expiresAt.getTime()).toBe(T0 + 5_000);
      const [row] = await db.select().from(loginLinks).where(eq(loginLinks.tokenHash, await hashApiKey(link.token)));
      expect(row).toMatchObject({ userId, orgId, usedAt: null });
      expect(row!.expiresAt.getTime()).toBe(T0 + 3_600_000);
      expect(await db.select().from(loginLinks).where(eq(loginLinks.tokenHash, link.token))).toEqual([]);
    });
  });

  it("makes 43-character URL-safe tokens (32 random bytes), a new one each time", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { userId } = await seedUser(db, orgId, "owner");
      const tokens = await Promise.all(Array.from({ length: 40 }, () => createLoginLink(db, userId, orgId).then((l) => l.token)));
      for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Set(tokens).size).toBe(40);
      // 40 tokens of 43 characters: base64's '+' and '/' (now '-' and '_') turn up among them.
      expect(tokens.join("")).toMatch(/[-_]/);
      // Every byte value is encoded, not just the low ones: the tokens use the whole alphabet's range.
      expect(new Set(tokens.join("")).size).toBeGreaterThan(60);
    });
  });

  it("signs in once: the first use returns the user and org and marks it used, the second finds nothing", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { userId } = await seedUser(db, orgId, "owner");
      const link = await createLoginLink(db, userId, orgId);
      at(T0 - 60_000);
      expect(await consumeLoginLink(db, link.token)).toEqual({ userId, orgId });
      const [row] = await db.select().from(loginLinks).where(eq(loginLinks.tokenHash, await hashApiKey(link.token)));
      expect(row!.usedAt?.getTime()).toBe(T0 - 60_000);
      expect(await consumeLoginLink(db, link.token)).toBeUndefined();
      expect(await consumeLoginLink(db, "not-a-link")).toBeUndefined();
      // The hash is the key: the stored hash itself is not a token.
      const other = await createLoginLink(db, userId, orgId);
      expect(await consumeLoginLink(db, await hashApiKey(other.token))).toBeUndefined();
      expect(await consumeLoginLink(db, other.token)).toEqual({ userId, orgId });
    });
  });

  it("works until the instant it expires, not at that instant", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { userId } = await seedUser(db, orgId, "owner");
      at(T0);
      const early = await createLoginLink(db, userId, orgId, 10_000);
      const late = await createLoginLink(db, userId, orgId, 10_000);
      at(T0 + 10_000);
      expect(await consumeLoginLink(db, late.token)).toBeUndefined();
      at(T0 + 9_999);
      expect(await consumeLoginLink(db, early.token)).toEqual({ userId, orgId });
    });
  });
});
