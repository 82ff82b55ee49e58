import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../db/client.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { hashApiKey } from "./api-key.ts";
import { clearIsolateKeyCache, lookupKey } from "./key-store.ts";

afterEach(() => clearIsolateKeyCache());

describe("lookupKey", () => {
  it("reads a key no request has read yet once, however many requests ask for it at the same time", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { key } = await seedKey(db, orgId, ["ingest"]);
      const hash = await hashApiKey(key);
      let reads = 0;
      const counting = (): Database => {
        reads++;
        return db;
      };
      const records = await Promise.all(Array.from({ length: 50 }, () => lookupKey(hash, { db: counting })));
      expect(reads).toBe(1);
      expect(new Set(records.map((r) => r?.orgId))).toEqual(new Set([orgId]));
    });
  });

  it("lets the next request read when a read fails, and reports the failure to each", async () => {
    let reads = 0;
    const down = (): Database => {
      reads++;
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    };
    const hash = await hashApiKey("vgl_00000000_never-read");
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => lookupKey(hash, { db: down })));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(reads).toBe(3);
  });
});
