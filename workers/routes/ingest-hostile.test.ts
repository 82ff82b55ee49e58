// Hostile and malformed payloads: every one gets a 4xx naming the problem, never a 5xx.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";

let key = "";

beforeAll(async () => {
  await withDb(async (db) => {
    const { orgId } = await seedOrg(db);
    key = (await seedKey(db, orgId, ["ingest"])).key;
    await registerModelVersionFromIngest(db, {
      orgId, model: "hostile", version: "v1", predictionKind: "binary",
      featureSchema: [{ name: "a", kind: "numerical", dtype: "float" }, { name: "b", kind: "categorical", dtype: "string" }],
    });
  });
});

function hostile(rand: () => number, i: number): { body: string; type: string } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const wrap = (events: unknown) => JSON.stringify({ model: "hostile", version: "v1", events });
  const cases = [
    () => ({ body: String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(rand() * 256))), type: "application/json" }),
    () => ({ body: deep(5_000 + Math.floor(rand() * 100_000)), type: "application/json" }),
    () => ({ body: `{"model":"hostile","version":"v1","events":${deep(10_000)}}`, type: "application/json" }),
    () => ({ body: wrap([{ prediction_id: "x".repeat(100_000), features: { a: 1, b: "c" }, prediction: 1 }]), type: "application/json" }),
    () => ({ body: wrap([{ prediction_id: "p", features: { a: "NaN", b: { __proto__: { polluted: true } } }, prediction: [] }]), type: "application/json" }),
    () => ({ body: `{"model":"hostile","version":"v1","events":[{"prediction_id":"p","features":{"__proto__":{"a":1},"constructor":{"prototype":{"x":1}}},"prediction":1, "a": NaN}]}`, type: "application/json" }),
    () => ({ body: wrap([{ prediction_id: i, features: null, prediction: true }]), type: "application/json" }),
    () => ({ body: wrap("events"), type: "application/json" }),
    () => ({ body: JSON.stringify({ model: pick([1, null, "", "a:b", "x".repeat(300)]), version: "v1", events: [] }), type: "application/json" }),
    () => ({ body: wrap([{ prediction_id: "p", features: { a: 1e400, b: "x".repeat(5_000) }, prediction: 1 }]), type: "application/json" }),
    () => ({ body: "{\"a\":1}\n[[[[\n\u0000", type: "application/x-ndjson" }),
    () => ({ body: wrap([{}]), type: pick(["text/plain", "application/xml", "", "multipart/form-data"]) }),
    () => ({ body: wrap([{ prediction_id: "p", features: { a: 1, b: "x" }, prediction: 1, score: { __proto__: 1, a: 2 } }]), type: "application/json" }),
  ];
  return pick(cases)();
}

describe("hostile ingest payloads", () => {
  it("answer 4xx with an error naming the problem, or per-record rejections, never 5xx", async () => {
    const rand = mulberry32(7);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 150; i++) {
      const { body, type } = hostile(rand, i);
      const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
        method: "POST", body, headers: { authorization: `Bearer ${key}`, ...(type ? { "content-type": type } : {}) },
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, text.slice(0, 200)).toBeLessThan(500);
      const json = JSON.parse(text) as { error?: { message: string }; rejected?: unknown[] };
      if (res.status >= 400) expect(json.error?.message.length).toBeGreaterThan(5);
      else expect(json.rejected?.length).toBeGreaterThan(0);
    }
    expect(statuses.get(200) ?? 0).toBeLessThan(150);
    expect(({}) as Record<string, unknown>).not.toHaveProperty("polluted");
  });
});
