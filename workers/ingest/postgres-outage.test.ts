// Ingest through a Postgres outage: once the key and the model version have been read,
// their caches expiring while Postgres is unreachable must not turn ingest into 5xx.
// The last record read keeps serving for a bounded time; an unknown one still fails.
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "../auth/api-key.ts";
import { ISOLATE_TTL_MS, STALE_IF_ERROR_MS, clearIsolateKeyCache, lookupKey } from "../auth/key-store.ts";
import type { Database } from "../db/client.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { seedVersionContext } from "../testing/version-context.ts";
import { VERSION_STALE_IF_ERROR_MS, VERSION_TTL_MS, forgetVersions, resolveVersion } from "./resolve-version.ts";

const down = (): Database => {
  throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
};

afterEach(() => {
  vi.restoreAllMocks();
  clearIsolateKeyCache();
  forgetVersions();
});

function at(ms: number) {
  vi.spyOn(Date, "now").mockReturnValue(ms);
}

describe("API keys while Postgres is down", () => {
  it("serve the last record read for STALE_IF_ERROR_MS, then fail; unknown keys fail at once", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { key } = await seedKey(db, orgId, ["ingest"]);
      const hash = await hashApiKey(key);
      const t0 = Date.now();
      const fresh = await lookupKey(hash, { db: () => db });
      expect(fresh?.orgId).toBe(orgId);

      at(t0 + ISOLATE_TTL_MS + 1_000);
      expect(await lookupKey(hash, { db: down })).toEqual(fresh);
      at(t0 + STALE_IF_ERROR_MS + 1_000);
      await expect(lookupKey(hash, { db: down })).rejects.toThrow(/ECONNREFUSED/);
      await expect(lookupKey(await hashApiKey(`${key}x`), { db: down })).rejects.toThrow(/ECONNREFUSED/);
    });
  });
});

describe("model versions while Postgres is down", () => {
  it("serve the last record read for VERSION_STALE_IF_ERROR_MS, then fail", async () => {
    await withDb(async (db) => {
      const { ctx } = await seedVersionContext(db, "outage");
      const t0 = Date.now();
      const fresh = await resolveVersion(ctx(() => db), "outage", "v1", [], "ingest");
      expect(fresh.record.model).toBe("outage");

      at(t0 + VERSION_TTL_MS + 1_000);
      expect((await resolveVersion(ctx(down), "outage", "v1", [], "ingest")).record).toEqual(fresh.record);
      at(t0 + VERSION_TTL_MS + 10_000);
      expect((await resolveVersion(ctx(down), "outage", "v1", [], "ingest")).record).toEqual(fresh.record);
      at(t0 + VERSION_STALE_IF_ERROR_MS + 1_000);
      await expect(resolveVersion(ctx(down), "outage", "v1", [], "ingest")).rejects.toThrow(/ECONNREFUSED/);
    });
  });
});
