// GET …/live?segment= through the real Worker and ModelMonitor: a tracked segment's
// windows in the snapshot's shape, 400 naming `segment` for a malformed key, 404 for one
// not tracked; the socket's updates carry the per-segment summary; a version's
// `segments.top_k` and a schema segment key reach the monitor; bad settings are 400.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { ModelMonitorServer } from "../../durable/model-monitor.ts";
import { outboxRecord } from "../../durable/monitor/outbox.ts";
import { postgresHistorySink } from "../sinks/postgres-history.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { parseServerMessage, snapshotMessage, type ServerMessage } from "../../durable/protocol.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let writeKey = "";
let readKey = "";

const api = (path: string, key: string, init: RequestInit = {}) =>
  exports.default.fetch(`http://vigil.test${path}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...(init.headers ?? {}) } });

function events(n: number, prefix: string, segment: (i: number) => Record<string, string> | undefined) {
  return Array.from({ length: n }, (_, i) => {
    const s = segment(i);
    return { prediction_id: `${prefix}-${i}`, features: { x: (i * 7919) % 100, channel: i % 2 === 0 ? "web" : "app" }, prediction: i % 2, ...(s ? { segment: s } : {}) };
  });
}

async function ingest(model: string, list: unknown[]) {
  const res = await api("/v1/ingest", writeKey, { method: "POST", body: JSON.stringify({ model, version: "v1", events: list }) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    writeKey = (await seedKey(db, orgId, ["ingest", "write"])).key;
    readKey = (await seedKey(db, orgId, ["read"])).key;
  });
  const created = await api("/v1/models", writeKey, { method: "POST", body: JSON.stringify({ name: "seg", prediction_kind: "binary" }) });
  expect(created.status).toBe(201);
  const version = await api("/v1/models/seg/versions", writeKey, {
    method: "POST",
    body: JSON.stringify({
      version: "v1",
      feature_schema: [
        { name: "x", kind: "numerical", dtype: "float" },
        { name: "channel", kind: "categorical", dtype: "string", segment: true },
      ],
      segments: { top_k: 3 },
    }),
  });
  expect(version.status).toBe(201);
  expect(((await version.json()) as { segments: unknown }).segments).toEqual({ top_k: 3 });
  const stub = monitorStub(testEnv, orgId, "seg", "v1");
  await stub.setAutoBaselineTarget(400);
  await ingest("seg", events(400, "r", (i) => ({ region: i % 4 < 2 ? "eu" : "us" })));
  await runDurableObjectAlarm(stub);
  await ingest("seg", events(400, "c", (i) => ({ region: i % 4 < 2 ? "eu" : "us" })));
  await runDurableObjectAlarm(stub);
});

describe("GET …/live?segment=", () => {
  it("returns a tracked segment's windows in the snapshot's shape", async () => {
    // top_k 3, slots taken in arrival order: region:eu and channel:web (row 0), channel:app
    // (row 1); region:us (rows 2, 3 of every 4, as many as the others) does not beat them by
    // the 25 % margin at the first ranking, so it stays out and its rows count in other.
    const res = await api("/v1/models/seg/versions/v1/live?segment=region:eu", readKey);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(snapshotMessage.safeParse(body).success).toBe(true);
    const snapshot = snapshotMessage.parse(body);
    expect(snapshot.segment).toBe("region:eu");
    expect(snapshot.windows.find((w) => w.window === "5m")!.rows).toBe(200);
    expect(snapshot.windows.find((w) => w.window === "5m")!.features.map((f) => f.feature)).toEqual(["x", "channel"]);
    const other = snapshotMessage.parse(await (await api("/v1/models/seg/versions/v1/live?segment=other", readKey)).json());
    expect(other.windows.find((w) => w.window === "5m")!.rows).toBe(200);
    const web = snapshotMessage.parse(await (await api("/v1/models/seg/versions/v1/live?segment=channel:web", readKey)).json());
    expect(web.windows.find((w) => w.window === "5m")!.rows).toBe(200);
  });

  it("answers 400 naming segment for a malformed key and 404 for one not tracked", async () => {
    const bad = await api("/v1/models/seg/versions/v1/live?segment=region", readKey);
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { code: string; details: { field: string }[] } };
    expect(badBody.error.details[0]!.field).toBe("segment");
    const empty = await api("/v1/models/seg/versions/v1/live?segment=region:", readKey);
    expect(empty.status).toBe(400);
    const missing = await api("/v1/models/seg/versions/v1/live?segment=region:us", readKey);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("segment_not_tracked");
  });

  it("carries the per-segment summary on the socket", async () => {
    const res = await exports.default.fetch(`http://vigil.test/parties/model-monitor/seg:v1?key=${readKey}`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const messages: ServerMessage[] = [];
    ws.addEventListener("message", (e) => {
      const m = parseServerMessage(String(e.data));
      if (m) messages.push(m);
    });
    ws.accept();
    // The summary re-scores a segment at most every 5 s (segment-views.ts); GET …/live?segment= scores it now.
    for (const key of ["region:eu", "channel:app", "channel:web", "other"]) expect((await api(`/v1/models/seg/versions/v1/live?segment=${key}`, readKey)).status).toBe(200);
    await ingest("seg", events(40, "u", (i) => ({ region: i % 4 < 2 ? "eu" : "us" })));
    await runDurableObjectAlarm(monitorStub(testEnv, orgId, "seg", "v1"));
    await new Promise((r) => setTimeout(r, 200));
    ws.close();
    const update = messages.find((m) => m.type === "update");
    expect(update?.type).toBe("update");
    if (update?.type !== "update") return;
    const keys = update.segments!.items.map((i) => i.key);
    // Largest first (all 200: by key), other last.
    expect(keys).toEqual(["channel:app", "channel:web", "region:eu", "other"]);
    expect(update.segments!.items.map((i) => i.rows)).toEqual([200, 200, 200, 200]);
    const eu = update.segments!.items[2]!;
    expect(eu.ratios).toHaveLength(2);
    expect(eu).toMatchObject({ baseline: "global", driftedFeatures: [] });
    expect(update.segments!.topK).toBe(3);
  });

  it("takes per-segment baselines from uploaded rows' segment column, the global one below 500 rows", async () => {
    const rows = Array.from({ length: 900 }, (_, i) => ({ x: (i * 37) % 100, channel: "web", prediction: i % 2, segment: { region: i < 700 ? "eu" : "us" } }));
    const bad = await api("/v1/models/seg/versions/v1/baseline", writeKey, { method: "PUT", body: JSON.stringify({ rows: [{ x: 1, channel: "web", segment: "eu" }] }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("rows.0.segment");
    const put = await api("/v1/models/seg/versions/v1/baseline", writeKey, { method: "PUT", body: JSON.stringify({ rows }) });
    expect(put.status).toBe(200);
    await ingest("seg", events(200, "after-baseline", (i) => ({ region: i % 2 === 0 ? "eu" : "us" })));
    const stub = monitorStub(testEnv, orgId, "seg", "v1");
    await runDurableObjectAlarm(stub);
    const eu = snapshotMessage.parse(await (await api("/v1/models/seg/versions/v1/live?segment=region:eu", readKey)).json());
    expect(eu.windows.find((w) => w.window === "5m")!.rows).toBe(100);
    const live = snapshotMessage.parse(await (await api("/v1/models/seg/versions/v1/live", readKey)).json());
    const baselineOf = (key: string) => live.segments!.items.find((i) => i.key === key)?.baseline;
    expect(baselineOf("region:eu")).toBe("segment"); // 700 rows
    // channel:web: all 900 rows carry it through the schema's segment key.
    expect(baselineOf("channel:web")).toBe("segment");
  });

  it("serves a segment's stored history on GET …/metrics?segment=, in the unsegmented shape", async () => {
    const stub = monitorStub(testEnv, orgId, "seg", "v1");
    const at = Date.now() - 3_600_000; // apart from the points the alarm writes now
    const { euRows, allRows } = await runInDurableObject(stub, async (instance: ModelMonitorServer) => {
      const m = instance.monitor;
      const now = Date.now();
      const eu = m.segmentWindows("region:eu", now)!;
      const all = m.windows(now);
      // What the alarm writes at most once a minute: the global windows and each tracked segment's.
      expect(m.takeSegmentHistory(now + 61_000).map((s) => s.key)).toContain("region:eu");
      expect(m.takeSegmentHistory(now + 62_000)).toEqual([]);
      await postgresHistorySink(testEnv.DATABASE_URL!, testEnv.NEON_WS_PROXY).send([outboxRecord(m.identity!, at, 1, all, m.totals, null, [], [{ key: "region:eu", windows: eu }])]);
      return { euRows: eu.find((w) => w.window === "5m")!.rows, allRows: all.find((w) => w.window === "5m")!.rows };
    });
    const q = `window=5m&from=${new Date(at - 1_000).toISOString()}&to=${new Date(at + 1_000).toISOString()}`;
    const seg = (await (await api(`/v1/models/seg/versions/v1/metrics?${q}&segment=region:eu`, readKey)).json()) as { points: { rows: number }[]; features: Record<string, unknown[]> };
    expect(seg.points.map((p) => p.rows)).toEqual([euRows]);
    expect(Object.keys(seg.features).sort()).toEqual(["channel", "x"]);
    const whole = (await (await api(`/v1/models/seg/versions/v1/metrics?${q}`, readKey)).json()) as { points: { rows: number }[] };
    expect(whole.points.map((p) => p.rows)).toEqual([allRows]);
    expect(euRows).toBeLessThan(allRows);
    expect((await api(`/v1/models/seg/versions/v1/metrics?${q}&segment=region`, readKey)).status).toBe(400);
    const missing = await api(`/v1/models/seg/versions/v1/metrics?${q}&segment=region:mars`, readKey);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("segment_not_tracked");
  });

  it("refuses a segment flag on a numerical feature and a top_k out of range, naming the field", async () => {
    const flag = await api("/v1/models/seg/versions", writeKey, {
      method: "POST",
      body: JSON.stringify({ version: "v2", feature_schema: [{ name: "x", kind: "numerical", dtype: "float", segment: true }] }),
    });
    expect(flag.status).toBe(400);
    expect(JSON.stringify(await flag.json())).toContain("feature_schema.0.segment");
    const topK = await api("/v1/models/seg/versions/v1", writeKey, { method: "PATCH", body: JSON.stringify({ segments: { top_k: 0 } }) });
    expect(topK.status).toBe(400);
    expect(JSON.stringify(await topK.json())).toContain("segments.top_k");
    const ok = await api("/v1/models/seg/versions/v1", writeKey, { method: "PATCH", body: JSON.stringify({ segments: { top_k: 5 } }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { segments: unknown }).segments).toEqual({ top_k: 5 });
  });
});
