// Test fixtures for reports: an org whose model version has a baseline (rows uploaded
// through the API) and traffic from the last minutes, part of it shifted, plus a few
// history points written as the Postgres sink writes them.
import { featureScores, monitorAggregates, projects } from "../db/schema/index.ts";
import { call, json } from "../erasure/testing.ts";
import { seedKey, seedOrg, uniqueSlug, withDb } from "../testing/seed.ts";

export interface ReportOrg {
  orgId: string;
  projectId: string;
  admin: string;
  /** read + ingest + write, org-wide */
  writer: string;
  /** read, limited to another project */
  outsider: string;
  model: string;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ["north", "south", "east", "west"];

export async function seedReportOrg(): Promise<ReportOrg> {
  const org = await withDb(async (db) => {
    const { orgId, projectId } = await seedOrg(db);
    const [other] = await db.insert(projects).values({ orgId, slug: "other", name: "Other" }).returning();
    return {
      orgId,
      projectId,
      admin: (await seedKey(db, orgId, ["admin"])).key,
      writer: (await seedKey(db, orgId, ["read", "write", "ingest"])).key,
      outsider: (await seedKey(db, orgId, ["read"], { projectId: other!.id })).key,
    };
  });
  const model = uniqueSlug("credit");
  const r = rng(11);
  const now = Date.now();
  const event = (i: number, shift: number) => ({
    prediction_id: `p${i}`,
    timestamp: new Date(now - 20 * 60_000 + i * 100).toISOString(),
    features: { amount: 100 + (r() - 0.5) * 40 + shift, city: CITIES[Math.floor(r() * 4)]! },
    prediction: r() < 0.3 ? 1 : 0,
    score: r(),
  });
  await json(await call(org.writer, "POST", "/v1/ingest", { model, version: "v1", events: [event(0, 0)] }), 200);
  const rows = Array.from({ length: 2_000 }, () => ({ amount: 100 + (r() - 0.5) * 40, city: CITIES[Math.floor(r() * 4)]!, prediction: r() < 0.3 ? 1 : 0 }));
  await json(await call(org.admin, "PUT", `/v1/models/${model}/versions/v1/baseline`, { rows }), 200);
  // 1,500 events, the amounts shifted by a full reference standard deviation and more.
  const events = Array.from({ length: 1_500 }, (_, i) => event(i + 1, 30));
  for (let i = 0; i < events.length; i += 500) await json(await call(org.writer, "POST", "/v1/ingest", { model, version: "v1", batch_id: `b${i}`, events: events.slice(i, i + 500) }), 200);
  // History as the Postgres sink writes it: one 1h-window point per minute for the last 30 minutes.
  await withDb(async (db) => {
    const at = (m: number) => new Date(Math.floor(now / 60_000) * 60_000 - m * 60_000);
    const base = { orgId: org.orgId, model, version: "v1", window: "1h" };
    await db.insert(monitorAggregates).values(Array.from({ length: 30 }, (_, m) => ({ ...base, at: at(m), windowFrom: at(m + 60), tick: 1_000 - m, rows: 50 * (30 - m), driftShare: m < 15 ? 0.5 : 0, driftedFeatures: m < 15 ? 1 : 0, summary: { performance: null } })));
    await db.insert(featureScores).values(Array.from({ length: 30 }, (_, m) => ({ ...base, at: at(m), feature: "amount", method: "wasserstein_normed", score: m < 15 ? 0.8 : 0.05, threshold: 0.1, drifted: m < 15, count: 50 * (30 - m) })));
  });
  return { ...org, model };
}

export { call, json };
