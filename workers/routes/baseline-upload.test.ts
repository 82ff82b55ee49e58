import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();

describe("PUT /v1/models/{model}/versions/{version}/baseline", () => {
  it("profiles an uploaded CSV, stores it as the active baseline, and hands it to the monitor", async () => {
    const key = await withDb(async (db) => (await seedKey(db, (await seedOrg(db)).orgId, ["write"])).key);
    const send = async (method: string, path: string, body: string, type = "application/json") => {
      const res = await app.request(path, { method, headers: { authorization: `Bearer ${key}`, "content-type": type }, body }, testEnv);
      return { status: res.status, body: (await res.json()) as any };
    };
    await send("POST", "/v1/models", JSON.stringify({ name: "churn", prediction_kind: "binary" }));
    const schema = [
      { name: "tenure", kind: "numerical", dtype: "int" },
      { name: "plan", kind: "categorical", dtype: "string" },
    ];
    await send("POST", "/v1/models/churn/versions", JSON.stringify({ version: "v1", feature_schema: schema }));
    const csv = ["tenure,plan,score", ...Array.from({ length: 300 }, (_, i) => `${i % 40},${i % 4 ? "basic" : "pro"},${(i % 10) / 10}`)].join("\n");

    const res = await send("PUT", "/v1/models/churn/versions/v1/baseline?name=training&prediction=score", csv, "text/csv");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "training", active: true, rows: 300, features: ["tenure", "plan"], format: "vigil.profile" });

    const stats = await app.request("/v1/models/churn/versions/v1/monitor-stats", { headers: { authorization: `Bearer ${key}` } }, testEnv);
    const baseline = ((await stats.json()) as any).baseline;
    expect(baseline).toMatchObject({ status: "ready", rows: 300 });

    const bad = await send("PUT", "/v1/models/churn/versions/v1/baseline", "tenure,plan\n", "text/plain");
    expect(bad.status).toBe(415);
  });
});
