import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../db/client.ts";
import { withDb } from "../testing/seed.ts";
import { seedVersionContext } from "../testing/version-context.ts";
import { forgetVersions, resolveVersion } from "./resolve-version.ts";

afterEach(() => forgetVersions());

describe("resolveVersion", () => {
  it("reads a version once when many requests ask for it at the same time with a cold cache", async () => {
    await withDb(async (db) => {
      const { ctx } = await seedVersionContext(db, "burst");
      let reads = 0;
      const counting = ctx((): Database => (reads++, db));
      const resolved = await Promise.all(Array.from({ length: 40 }, () => resolveVersion(counting, "burst", "v1", [], "ingest")));
      expect(reads).toBe(1);
      expect(new Set(resolved.map((r) => r.record.model))).toEqual(new Set(["burst"]));
    });
  });
});
