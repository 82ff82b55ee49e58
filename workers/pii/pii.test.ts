// PII features end to end (real Worker, Durable Object, Postgres, Redis): a value of a
// feature tagged `pii` never reaches the monitor's SQLite, Postgres, Redis, a Kafka
// record or a log. Categoricals travel and are stored as HMAC-SHA-256 pseudonyms under
// the org's key (the same value always the same pseudonym, so drift still works);
// numerical values are counted into the window sketches at ingest and kept nowhere else.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { Redis } from "@upstash/redis/cloudflare";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { ModelMonitorServer } from "../../durable/model-monitor.ts";
import { outboxRecord } from "../../durable/monitor/outbox.ts";
import { baselines, orgPiiKeys } from "../db/schema/index.ts";
import { call, json, monitorText, seedErasureOrg, type ErasureOrg } from "../erasure/testing.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { kafkaAggregatesSink } from "../sinks/kafka-rest.ts";
import { latestKey, redisLatestSink } from "../sinks/redis-latest.ts";
import { testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { pseudonym } from "./pseudonym.ts";

const model = uniqueSlug("pii");
const emails = { reference: [0, 1, 2].map((i) => `ref${i}-${crypto.randomUUID()}@example.test`), early: `early-${crypto.randomUUID()}@example.test`, late: `late-${crypto.randomUUID()}@example.test` };
const salary = { early: 734_211.417_3, late: 734_987.652_9 };
const RAW = [...emails.reference, emails.early, emails.late, String(salary.early), String(salary.late)];
const logged: string[] = [];
let org: ErasureOrg;
let key: string;

const le64 = (x: number) => new Uint8Array(new Float64Array([x]).buffer);
const event = (id: string, email: string, pay: number) => ({ prediction_id: `${model}-${id}`, features: { amount: 10, email, salary: pay }, prediction: 1, score: 0.6 });

beforeAll(async () => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" ")));
  }
  org = await seedErasureOrg();
  await json(await call(org.ingest, "POST", "/v1/models", { name: model, prediction_kind: "binary" }), 201);
  const feature_schema = [
    { name: "amount", kind: "numerical", dtype: "float" },
    { name: "email", kind: "categorical", dtype: "string", pii: "email" },
    { name: "salary", kind: "numerical", dtype: "float", pii: "financial" },
  ];
  await json(await call(org.ingest, "POST", `/v1/models/${model}/versions`, { version: "v1", feature_schema }), 201);
  // Before any baseline: the first events are held for a first-events baseline.
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: [event("e1", emails.early, salary.early)] }), 200);
  await runDurableObjectAlarm(monitorStub(testEnv, org.orgId, model, "v1"));
  const rows = emails.reference.flatMap((email, i) => Array.from({ length: 20 }, (_, j) => ({ amount: 5 + j, email, salary: 50_000 + 1_000 * i + j, prediction: j % 2 })));
  await json(await call(org.ingest, "PUT", `/v1/models/${model}/versions/v1/baseline`, { rows }), 200);
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: [event("e2", emails.late, salary.late)] }), 200);
  await runDurableObjectAlarm(monitorStub(testEnv, org.orgId, model, "v1"));
  key = await withDb(async (db) => (await db.select().from(orgPiiKeys).where(eq(orgPiiKeys.orgId, org.orgId)))[0]!.key);
});

afterAll(() => {
  vi.restoreAllMocks();
});

const hmacKey = () => crypto.subtle.importKey("raw", Uint8Array.from(key.match(/../g)!, (h) => parseInt(h, 16)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

describe("a feature tagged pii", () => {
  it("is monitored: the hashed categorical drifts against hashed baseline categories, the numerical one is counted", async () => {
    const live = await monitorStub(testEnv, org.orgId, model, "v1").live();
    const w = live.windows.find((x) => x.window === "5m")!;
    const byName = Object.fromEntries(w.features.map((f) => [f.feature, f]));
    expect(byName.salary).toMatchObject({ kind: "numerical", count: 1 });
    expect(byName.email).toMatchObject({ kind: "categorical", count: 1 });
    const k = await hmacKey();
    const expected = await Promise.all(emails.reference.map((e) => pseudonym(k, e)));
    const stored = await withDb(async (db) => (await db.select().from(baselines).where(eq(baselines.orgId, org.orgId)))[0]!.profile as any);
    expect(stored.features.find((f: any) => f.name === "email").categories.values.sort()).toEqual(expected.sort());
    expect(expected[0]).toMatch(/^hmac:[A-Za-z0-9_-]{43}$/);
    // The live window carries the pseudonym of the late value, the one HMAC-SHA-256 under the org's key gives.
    expect(await monitorText(org.orgId, model, "v1")).toContain(await pseudonym(k, emails.late));
  });

  it("never reaches the monitor's SQLite: no text anywhere, no numerical value outside the window sketches", async () => {
    const text = await monitorText(org.orgId, model, "v1");
    for (const raw of RAW) expect(text).not.toContain(raw);
    const holders = await runInDurableObject(monitorStub(testEnv, org.orgId, model, "v1"), (_i: ModelMonitorServer, state) => {
      const found: string[] = [];
      const tables = state.storage.sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).toArray();
      for (const { name } of tables) {
        for (const row of state.storage.sql.exec(`SELECT * FROM "${name}"`)) {
          for (const [column, value] of Object.entries(row)) {
            if (!(value instanceof ArrayBuffer)) continue;
            const bytes = new Uint8Array(value);
            for (const x of [salary.early, salary.late]) {
              const pattern = le64(x);
              for (let i = 0; i + 8 <= bytes.length; i++) if (pattern.every((b, j) => bytes[i + j] === b)) found.push(`${name}.${column}`);
            }
          }
        }
      }
      return {
        found: [...new Set(found)].sort(),
        payloads: state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM batches WHERE payload IS NOT NULL`).toArray()[0]!.n,
      };
    });
    // Only the minute and hour buckets' sketches hold the late value: the profile of the window. The early one
    // arrived before a baseline, so no window profiled it and the held copy had it blanked.
    expect(holders.found).toContain("minutes.window");
    expect(holders.found.every((h) => h === "minutes.window" || h === "hours.window")).toBe(true);
    expect(holders.payloads).toBe(0);
  });

  it("never reaches Postgres", async () => {
    const dump = await withDb(async (db) => {
      const tables = await db.execute<{ table_name: string }>(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      const parts: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await db.execute<{ t: string }>(sql`SELECT t::text AS t FROM ${sql.identifier(table_name)} t`);
        for (const r of rows.rows) parts.push(r.t);
      }
      return parts.join("\n");
    });
    expect(dump).toContain(model); // the dump reaches this model's rows
    for (const raw of RAW) expect(dump).not.toContain(raw);
  });

  it("never reaches Redis or a Kafka record: the published aggregate holds pseudonyms and counts only", async (ctx) => {
    const stub = monitorStub(testEnv, org.orgId, model, "v1");
    const record = await runInDurableObject(stub, (i: ModelMonitorServer) => outboxRecord(i.monitor.identity!, Date.now(), i.monitor.tickCount, i.monitor.windows(Date.now()), i.monitor.totals));
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      bodies.push(String(init?.body ?? ""));
      // A v2 REST proxy's answer: one delivery report per record.
      return new Response(JSON.stringify({ offsets: [{ partition: 0, offset: bodies.length }] }), { status: 200, headers: { "content-type": "application/vnd.kafka.v2+json" } });
    });
    try {
      await kafkaAggregatesSink({ url: "http://kafka-rest.test", api: "v2" }).send([record]);
    } finally {
      spy.mockRestore();
      globalThis.fetch = realFetch;
    }
    expect(bodies.join("")).toContain(model);
    for (const raw of RAW) expect(bodies.join("")).not.toContain(raw);
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip("no Redis on this machine");
    const redis = new Redis({ url: upstashUrl, token: upstashToken });
    await redisLatestSink(redis).send([record]);
    const stored = JSON.stringify(await redis.get(latestKey(org.orgId, model, "v1")));
    expect(stored).toContain(model);
    for (const raw of RAW) expect(stored).not.toContain(raw);
  });

  it("never reaches a log, nor does the org's key", () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const text = logged.join("\n");
    for (const raw of [...RAW, key]) expect(text).not.toContain(raw);
  });

  it("reaches the response of a rejected event only, to its own sender", async () => {
    const res = await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events: [{ ...event("bad", emails.late, salary.late), features: { amount: 1, email: emails.late, salary: "lots" } }] }), 422);
    expect(res.error.details[0].field).toContain("salary");
    expect(await monitorText(org.orgId, model, "v1")).not.toContain(emails.late);
  });
});
