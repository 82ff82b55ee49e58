import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { verifyChain } from "../audit/verify.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { auditAnchors } from "./audit-anchors.ts";
import { HOURLY, runScheduled } from "./index.ts";

const app = createApp();

describe("audit anchors (vigil.audit-anchors)", () => {
  it("gives each org's chain head: the last record, its hash (verify's last_hash) and the count", async () => {
    const { orgId, key } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return { orgId: org.orgId, key: (await seedKey(db, org.orgId, ["admin"])).key };
    });
    for (const name of ["m1", "m2"]) {
      const res = await app.request("/v1/models", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ name, prediction_kind: "binary" }) }, testEnv);
      expect(res.status).toBe(201);
    }
    const now = new Date("2026-12-05T07:00:00Z");
    const { anchors, report, last } = await withDb(async (db) => ({
      anchors: await auditAnchors(db, now),
      report: await verifyChain(db, orgId),
      last: (await db.execute<{ id: string; n: string }>(sql`SELECT max(id) AS id, count(*) AS n FROM audit_log WHERE org_id = ${orgId}`)).rows[0]!,
    }));
    const mine = anchors.find((a) => a.org_id === orgId);
    expect(mine).toEqual({ org_id: orgId, at: "2026-12-05T07:00:00.000Z", record_id: Number(last.id), last_hash: report.last_hash, records: Number(last.n) });
    expect(mine!.records).toBeGreaterThanOrEqual(2);
  });

  it("lists an org with an empty log with nulls, not a made-up hash", async () => {
    const orgId = await withDb(async (db) => (await seedOrg(db)).orgId);
    const anchors = await withDb((db) => auditAnchors(db, new Date()));
    expect(anchors.find((a) => a.org_id === orgId)).toMatchObject({ record_id: null, last_hash: null, records: 0 });
  });

  it("runs from the hourly cron, and does nothing (without failing) when Kafka output is off", async () => {
    await expect(runScheduled(HOURLY, { ...testEnv, KAFKA_REST_URL: undefined }, new Date())).resolves.toBeUndefined();
  });

  it("fails the cron invocation when the proxy cannot take the anchors", async () => {
    await expect(runScheduled(HOURLY, { ...testEnv, KAFKA_REST_URL: "http://127.0.0.1:9", KAFKA_CLUSTER_ID: "c" }, new Date())).rejects.toThrow(/scheduled jobs failed/);
  });
});
