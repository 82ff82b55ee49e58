// Erasure survives what interrupts it: a Postgres outage between an object's removal and
// the progress write (the worst moment: the rows are gone but nothing says so), and a
// Worker that restarted before its background run began. Neither ends half-done or
// miscounted: the request stays `running` (or `pending`) and the next trigger finishes it.
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "../auth/principal.ts";
import type { Database } from "../db/client.ts";
import { erasureRequests } from "../db/schema/index.ts";
import { testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { createErasure } from "./create.ts";
import { MAX_ATTEMPTS, processErasure } from "./process.ts";
import { erasureView } from "./requests.ts";
import { erasureDeps } from "./run.ts";
import { call, json, monitorText, seedErasureOrg, settle } from "./testing.ts";

const down = (): Database => {
  throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
};

/** The real database for the first `calls` uses, then an outage. */
function failingAfter(db: Database, calls: number): () => Database {
  let n = 0;
  return () => (++n <= calls ? db : down());
}

const adminOf = (orgId: string): Principal => ({ kind: "api_key", orgId, keyId: crypto.randomUUID(), prefix: "vk_test", scopes: ["admin"], projectId: null, modelId: null });

async function seedSubject(model: string, subject: string) {
  const org = await seedErasureOrg();
  const events = ["1", "2", "3"].map((i) => ({ prediction_id: `${model}-${i}`, features: { x: Number(i) }, prediction: 1, subject_id: subject }));
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v1", events }), 200);
  await json(await call(org.ingest, "POST", "/v1/ingest", { model, version: "v2", events: [{ ...events[0]!, prediction_id: `${model}-4` }] }), 200);
  await json(await call(org.ingest, "POST", "/v1/outcomes", { model, outcomes: [{ kpi: "k", value: 1, subject_id: subject }] }), 200);
  return org;
}

/** Everything written to the console while a test runs (subject ids must never be in it). */
const logged: string[] = [];
function captureLogs(): void {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
    });
  }
}
afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
});

describe("erasure through a Postgres outage", () => {
  it("an outage right after an object erased its rows leaves the request running; the resumed run reports the full removal", async () => {
    const model = uniqueSlug("outage");
    const subject = `carol-${crypto.randomUUID()}`;
    const org = await seedSubject(model, subject);
    captureLogs();
    await withDb(async (db) => {
      // Created as POST does, without its background run, so the faulty run below is the first.
      const row = await createErasure(db, adminOf(org.orgId), { type: "api_key", id: "vk_test" }, { subject_id: subject });
      // Calls 1 and 2 (claim, list versions) work; the progress write after the first object fails.
      expect(await processErasure({ ...erasureDeps(testEnv, () => db), db: failingAfter(db, 2) }, row.id)).toBe("interrupted");
      const [mid] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, row.id));
      expect(mid!.status).toBe("running");
      expect(mid!.progress).toEqual({});
      expect(mid!.subjectId).toBe(subject);
      // The first version's rows are already gone from its object; nothing in Postgres says so yet.
      expect(await monitorText(org.orgId, model, "v1")).not.toContain(subject);
      expect(await monitorText(org.orgId, model, "v2")).toContain(subject);

      // Postgres is down altogether: the request cannot even be claimed, and nothing changes.
      expect(await processErasure({ ...erasureDeps(testEnv, () => db), db: down }, row.id)).toBe("interrupted");
      // The dead worker's lease holds until it runs out; then anyone resumes.
      expect(await processErasure(erasureDeps(testEnv, () => db), row.id)).toBe("busy");
      await db.update(erasureRequests).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(erasureRequests.id, row.id));
      expect(await processErasure(erasureDeps(testEnv, () => db), row.id)).toBe("done");

      const [done] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, row.id));
      const view = erasureView(done!);
      expect(view.status).toBe("done");
      expect(view.removed).toEqual({ predictions: 4, actuals: 0, baseline_events: 4, outcomes: 1, redis: 0 });
      expect(view.certificate?.document).toMatchObject({ monitors: [{ model, version: "v1", removed: { predictions: 3 } }, { model, version: "v2", removed: { predictions: 1 } }] });
      expect(done!.attempts).toBe(2);
      expect(await monitorText(org.orgId, model, "v2")).not.toContain(subject);
    });
    expect(logged.join("\n")).toMatch(/interrupted; it resumes/);
    expect(logged.join("\n")).not.toContain(subject);
  });

  it("an outage inside the outcomes step rolls it back whole; the resumed run deletes and counts them once", async () => {
    const model = uniqueSlug("outage-pg");
    const subject = `dave-${crypto.randomUUID()}`;
    const org = await seedSubject(model, subject);
    await withDb(async (db) => {
      const row = await createErasure(db, adminOf(org.orgId), { type: "api_key", id: "vk_test" }, { subject_id: subject });
      // claim, versions, two progress writes work; the outcomes transaction does not.
      expect(await processErasure({ ...erasureDeps(testEnv, () => db), db: failingAfter(db, 4) }, row.id)).toBe("interrupted");
      const [mid] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, row.id));
      expect(erasureView(mid!).removed).toMatchObject({ predictions: 4, outcomes: 0 });
      await db.update(erasureRequests).set({ leaseUntil: null }).where(eq(erasureRequests.id, row.id));
      expect(await processErasure(erasureDeps(testEnv, () => db), row.id)).toBe("done");
      const [done] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, row.id));
      expect(erasureView(done!).removed).toEqual({ predictions: 4, actuals: 0, baseline_events: 4, outcomes: 1, redis: 0 });
    });
  });
});

describe("a request that cannot finish", () => {
  it(`is failed with its reason after ${MAX_ATTEMPTS} interrupted attempts, audited, and keeps no subject id`, async () => {
    const org = await seedErasureOrg();
    await withDb(async (db) => {
      const row = await createErasure(db, adminOf(org.orgId), { type: "api_key", id: "vk_test" }, { subject_id: "frank" });
      await db.update(erasureRequests).set({ attempts: MAX_ATTEMPTS, status: "running", error: "interrupted (Error); resumes automatically" }).where(eq(erasureRequests.id, row.id));
      expect(await processErasure(erasureDeps(testEnv, () => db), row.id)).toBe("failed");
      const [failed] = await db.select().from(erasureRequests).where(eq(erasureRequests.id, row.id));
      expect(failed).toMatchObject({ status: "failed", subjectId: null, predictionIds: null, error: `interrupted ${MAX_ATTEMPTS} times; the last interruption: interrupted (Error); resumes automatically` });
      expect(failed!.completedAt).toBeInstanceOf(Date);
      // Finished either way: no trigger takes it up again.
      expect(await processErasure(erasureDeps(testEnv, () => db), row.id)).toBe("busy");
    });
    const audit = await json(await call(org.admin, "GET", "/v1/audit?limit=200"), 200);
    expect(audit.items.map((e: { action: string }) => e.action)).toContain("erasure.failed");
  });
});

describe("erasure after a restart", () => {
  it("a request whose background run never started is resumed by the next read of it", async () => {
    const model = uniqueSlug("restart");
    const subject = `erin-${crypto.randomUUID()}`;
    const org = await seedSubject(model, subject);
    const id = await withDb(async (db) => (await createErasure(db, adminOf(org.orgId), { type: "api_key", id: "vk_test" }, { subject_id: subject })).id);
    expect((await json(await call(org.admin, "GET", `/v1/erasure/${id}`), 200)).status).toMatch(/pending|running|done/);
    const done = await settle(org, id);
    expect(done).toMatchObject({ status: "done", removed: { predictions: 4, outcomes: 1 } });
  });
});
