import type { Context } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { forgetVersions, resolveVersion } from "./resolve-version.ts";

afterEach(() => forgetVersions());

describe("resolveVersion", () => {
  it("reads a version once when many requests ask for it at the same time with a cold cache", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      await registerModelVersionFromIngest(db, {
        orgId, model: "burst", version: "v1", predictionKind: "binary", featureSchema: [{ name: "a", kind: "numerical", dtype: "float" }],
      });
      let reads = 0;
      const principal = { kind: "api_key" as const, orgId, keyId: "k", prefix: "vgl_0000", scopes: ["ingest" as const], projectId: null, modelId: null };
      // resolveVersion reads only c.var (principal and db).
      const ctx = { var: { principal, db: (): Database => (reads++, db) } } as unknown as Context<AppEnv>;
      const resolved = await Promise.all(Array.from({ length: 40 }, () => resolveVersion(ctx, "burst", "v1", [])));
      expect(reads).toBe(1);
      expect(new Set(resolved.map((r) => r.record.model))).toEqual(new Set(["burst"]));
    });
  });
});
