// End-to-end through `npm start` with an OTLP collector configured: GET /metrics passes
// `promtool check metrics` (Debian package prometheus) and its OpenMetrics form parses
// with promtool's OpenMetrics parser; the Grafana dashboard (docs/grafana/vigil.json)
// queries only metrics the exposition has; each monitor's tick reaches the collector as
// OTLP protobuf with the configured (percent-decoded) headers; and a collector that
// starts refusing the credentials shows in /v1/health and /metrics while ingest goes on.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS } from "../../workers/observability/families.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../services/otlp-receiver.ts";
import { launchStack, type Stack } from "../testing/stack.ts";

const MODEL = "e2e-observed";
const OTEL_TOKEN = "Bearer otel secret=1";
const DASHBOARD = fileURLToPath(new URL("../../docs/grafana/vigil.json", import.meta.url));

let stack: Stack;
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver({ requireHeaders: { authorization: OTEL_TOKEN } });
  stack = await launchStack({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(OTEL_TOKEN)}`,
    OTEL_SERVICE_NAME: "vigil-e2e",
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

function events(n: number, seed: number, shift: number, prefix: string) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    features: { age: 20 + rand() * 40 + shift, region: ["north", "south", "east"][Math.floor(rand() * 3)] },
    prediction: rand() > 0.5 ? 1 : 0,
    score: rand(),
    latency_ms: 3 + rand() * 10,
  }));
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.base}${path}`, { ...init, headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json", ...init.headers } });
}

async function scrape(accept?: string): Promise<string> {
  const res = await api("/metrics", accept ? { headers: { accept } } : {});
  expect(res.status).toBe(200);
  return res.text();
}

function promtool(args: string[], input?: string) {
  const result = spawnSync("promtool", args, { input, encoding: "utf8" });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): install the Debian package prometheus (apt-get install prometheus); .ci/run does`);
  return result;
}

describe("metrics out of a running stack (npm start)", () => {
  it("scrapes a valid exposition, exports the same metrics over OTLP protobuf, and surfaces a collector that refuses the credentials", { timeout: 360_000 }, async () => {
    // 5,000 events freeze the first-events baseline; 1,000 shifted ones drift; one is refused.
    for (let b = 0; b < 5; b++) {
      const res = await api("/v1/ingest", { method: "POST", body: JSON.stringify({ model: MODEL, version: "v1", events: events(1_000, b + 1, 0, `ref-${b}`) }) });
      expect(res.status).toBe(200);
    }
    await expect.poll(() => scrape(), { timeout: 30_000, interval: 500 }).toMatch(/^vigil_baseline_ready\{model="e2e-observed",version="v1"\} 1$/m);
    const drifted = [...events(1_000, 99, 25, "cur"), { prediction_id: "bad", features: { age: "old", region: "north" }, prediction: 1 }];
    const reply = await api("/v1/ingest", { method: "POST", body: JSON.stringify({ model: MODEL, version: "v1", events: drifted }) });
    expect(await reply.json()).toMatchObject({ accepted: 1_000, rejected_count: 1 });
    const actuals = Array.from({ length: 200 }, (_, i) => ({ prediction_id: `cur-${i}`, actual: i % 3 === 0 ? 0 : 1 }));
    expect((await api("/v1/actuals", { method: "POST", body: JSON.stringify({ model: MODEL, version: "v1", actuals }) })).status).toBe(200);

    let text = "";
    await expect.poll(async () => (text = await scrape()), { timeout: 30_000, interval: 500 }).toMatch(/vigil_feature_drifted\{model="e2e-observed",version="v1",window="5m",feature="age"\} 1/);
    await expect.poll(async () => (text = await scrape()), { timeout: 30_000, interval: 500 }).toMatch(/^vigil_labeled_predictions\{model="e2e-observed",version="v1",window="5m"\} 200$/m);
    expect(text).toMatch(/^vigil_events_rejected_total\{model="e2e-observed",version="v1"\} 1$/m);

    // promtool: the text format parses and passes its lint (HELP, TYPE, _total, base units).
    const checked = promtool(["check", "metrics"], text);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);

    // OpenMetrics: promtool's OpenMetrics parser (the backfill path, which needs a timestamp per sample).
    const om = await scrape("application/openmetrics-text; version=1.0.0");
    expect(om.endsWith("# EOF\n")).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "vigil-om-"));
    try {
      const stamped = om.split("\n").map((l) => (l === "" || l.startsWith("#") ? l : `${l} ${Math.floor(Date.now() / 1000)}`)).join("\n");
      writeFileSync(join(dir, "metrics.om"), stamped);
      const parsed = promtool(["tsdb", "create-blocks-from", "openmetrics", join(dir, "metrics.om"), join(dir, "blocks")]);
      expect(parsed.stderr).toBe("");
      expect(parsed.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Grafana: every metric the dashboard queries is one Vigil defines and this scrape shows.
    const dashboard = readFileSync(DASHBOARD, "utf8");
    const queried = [...new Set(dashboard.match(/\bvigil_[a-z0-9_]+/g) ?? [])];
    const defined = new Set(Object.values(METRICS).map((m) => m.name));
    expect(queried.length).toBeGreaterThan(10);
    for (const name of queried) {
      expect(defined.has(name), `${name} is not a Vigil metric`).toBe(true);
      expect(text, `${name} has no sample in the scrape`).toMatch(new RegExp(`^${name}(\\{| )`, "m"));
    }

    // OTLP: the monitor's outbox pushes protobuf with the decoded header; same names as the scrape.
    const exported = () => receiver.received.filter((r) => JSON.stringify(r.request).includes('"vigil_feature_drift_score"'));
    // The outbox drains every 5 s and backs off after a failed send; on a loaded machine (the
    // suite runs files in parallel) the first export has taken longer than 30 s.
    await expect.poll(() => exported().length, { timeout: 90_000, interval: 500 }).toBeGreaterThan(0);
    const first = exported()[0]!;
    expect(first.contentType).toBe("application/x-protobuf");
    expect(first.headers.authorization).toBe(OTEL_TOKEN);
    const json = JSON.stringify(first.request);
    expect(json).toContain('"key":"service.name","value":{"stringValue":"vigil-e2e"}');
    expect(json).toContain('"name":"vigil_events_ingested"');
    expect(json).toContain('"stringValue":"e2e-observed"');
    const health = async () => (await (await api("/v1/health")).json()) as { status: string; otlp: string; errors: Record<string, string>; sink_failures: Record<string, { failures: number }> };
    expect(await health()).toMatchObject({ otlp: "ok" });

    // The collector now refuses our credentials: health names it, /metrics counts it, ingest is unaffected.
    receiver.requireHeaders = { authorization: "Bearer rotated" };
    const later = await api("/v1/ingest", { method: "POST", body: JSON.stringify({ model: MODEL, version: "v1", events: events(100, 7, 25, "later") }) });
    expect(later.status).toBe(200);
    const refused = await health();
    expect(refused).toMatchObject({ status: "degraded", otlp: "error" });
    expect(refused.errors.otlp).toContain("refused the credentials; check OTEL_EXPORTER_OTLP_HEADERS");
    await expect.poll(async () => (await health()).sink_failures.otlp?.failures ?? 0, { timeout: 90_000, interval: 500 }).toBeGreaterThan(0);
    await expect.poll(() => scrape(), { timeout: 90_000, interval: 500 }).toMatch(/^vigil_sink_up\{model="e2e-observed",version="v1",sink="otlp"\} 0$/m);
    expect(await scrape()).toMatch(/^vigil_sink_failures_total\{model="e2e-observed",version="v1",sink="otlp"\} [1-9]/m);
    expect(await scrape()).toMatch(/^vigil_events_ingested_total\{model="e2e-observed",version="v1"\} 6100$/m);
  });
});

