import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, models, stageTransitions } from "../db/schema/index.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { findModelVersion, registerModelVersionFromIngest } from "./versions.ts";

const schema = [{ name: "age", kind: "numerical" as const, dtype: "int" as const, range: { min: 0, max: 130 } }];

describe("registerModelVersionFromIngest", () => {
  it("creates the model and version once under concurrent calls, audited once", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const input = { orgId: org.orgId, model: "credit-risk", version: "v3", featureSchema: schema, predictionKind: "binary" as const };
      const results = await Promise.all(Array.from({ length: 4 }, () => registerModelVersionFromIngest(db, input)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.versionId)).size).toBe(1);
      expect(results[0]).toMatchObject({ model: "credit-risk", version: "v3", stage: "development", predictionKind: "binary", projectId: org.projectId, featureSchema: schema });

      const modelsRows = await db.select().from(models).where(eq(models.orgId, org.orgId));
      expect(modelsRows).toHaveLength(1);
      const audit = await db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId));
      expect(audit.map((a) => a.action).sort()).toEqual(["model.create", "model_version.create"]);
      expect(audit.every((a) => a.actorType === "system" && a.actorId === "ingest")).toBe(true);
      const transitions = await db.select().from(stageTransitions).where(eq(stageTransitions.versionId, results[0]!.versionId));
      expect(transitions).toMatchObject([{ fromStage: null, toStage: "development" }]);

      // A second version reuses the model.
      const v4 = await registerModelVersionFromIngest(db, { ...input, version: "v4" });
      expect(v4).toMatchObject({ created: true, modelId: results[0]!.modelId });
    });
  });

  it("never finds another org's version", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const b = await seedOrg(db);
      await registerModelVersionFromIngest(db, { orgId: a.orgId, model: "m", version: "1", featureSchema: [], predictionKind: "regression" });
      expect(await findModelVersion(db, a.orgId, "m", "1")).toMatchObject({ model: "m", version: "1", predictionKind: "regression" });
      expect(await findModelVersion(db, b.orgId, "m", "1")).toBeUndefined();
      expect(await findModelVersion(db, a.orgId, "m", "2")).toBeUndefined();
      const rows = await db.select().from(models).where(and(eq(models.orgId, b.orgId)));
      expect(rows).toHaveLength(0);
    });
  });
});
