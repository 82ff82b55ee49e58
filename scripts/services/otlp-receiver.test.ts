// Vigil's OTLP exporter (workers/observability/otlp/) against a receiver that decodes with
// protobufjs and the official opentelemetry-proto files: both encodings carry the same
// metrics, headers arrive percent-decoded, and a collector that refuses the credentials,
// is down or is missing is reported in words that say what to fix. The end-to-end run
// through a monitor's outbox is scripts/e2e/observability.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WindowView } from "../../durable/protocol.ts";
import { otlpConfig, OtlpConfigError, type OtlpEnv } from "../../workers/observability/otlp/config.ts";
import { exportMetrics, OtlpExportError } from "../../workers/observability/otlp/export.ts";
import { metricsRequest, type ExportRecord } from "../../workers/observability/otlp/request.ts";
import { freePort } from "../lib/ports.ts";
import { startOtlpReceiver, type DecodedRequest, type OtlpReceiver } from "./otlp-receiver.ts";

const AT = 1_780_000_000_123;

const window5m: WindowView = {
  window: "5m", from: AT - 300_000, to: AT, rows: 400,
  features: [
    { feature: "age", kind: "numerical", method: "wasserstein_normed", direction: "distance", score: 0.42, threshold: 0.1, drifted: true, count: 400, scores: {}, distribution: null },
    { feature: 'plan "tier"', kind: "categorical", method: "chi_square_two_sample", direction: "p_value", score: 0.5, threshold: 0.01, drifted: false, count: 390, scores: {}, distribution: null },
    { feature: "région ✓ ".repeat(20), kind: "categorical", method: "chi_square_two_sample", direction: "p_value", score: 0.2, threshold: 0.01, drifted: false, count: 400, scores: {}, distribution: null },
  ],
  prediction: { feature: "prediction", kind: "categorical", method: "chi_square_two_sample", direction: "p_value", score: 0.003, threshold: 0.01, drifted: true, count: 400, scores: {}, distribution: null },
  driftShare: 0.5,
  quality: { missingRate: { age: 0, 'plan "tier"': 0.025 }, newCategoryRate: { 'plan "tier"': 0.01 }, outOfRangeRate: { age: 0.0025 }, typeViolationRate: { age: 0, 'plan "tier"': 0 }, absentRate: { age: 0, 'plan "tier"': 0.025 }, unknownFeatureRate: { promo: 0.1 } },
  latency: { p50: 12, p95: 40, p99: 80, count: 400 },
  performance: { task: "classification", labeled: 100, metrics: { accuracy: 0.9, f1: 0.8 } },
};

const record = (at: number, events: number): ExportRecord => ({
  orgId: "org-1", model: "credit", version: "v7", at,
  windows: [window5m],
  totals: { events, batches: 4, duplicateBatches: 1, actuals: 100, unmatchedActuals: 2, lastEventAt: at - 500, lateEvents: 0, rejectedEvents: 3 },
  ingestToCountMs: 250,
});

let receiver: OtlpReceiver;
const SECRET = "Bearer a=b, c";

beforeAll(async () => {
  receiver = await startOtlpReceiver({ requireHeaders: { authorization: SECRET } });
});
afterAll(() => receiver.close());

const env = (extra: OtlpEnv = {}): OtlpEnv => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(SECRET)}, x-extra = one`,
  VIGIL_VERSION: "0.1.0",
  ...extra,
});

async function send(extra: OtlpEnv, records = [record(AT, 400), record(AT + 5_000, 450)]): Promise<DecodedRequest> {
  const config = otlpConfig(env(extra))!;
  const before = receiver.received.length;
  await exportMetrics(config, metricsRequest(records, { attributes: config.resource, version: "0.1.0" }));
  expect(receiver.received.length).toBe(before + 1);
  return receiver.received[receiver.received.length - 1]!.request;
}

type Metric = { name: string; unit: string; sum?: { dataPoints: Point[]; aggregationTemporality: number; isMonotonic: boolean }; gauge?: { dataPoints: Point[] } };
type Point = { attributes: { key: string; value: { stringValue: string } }[]; timeUnixNano: string; asDouble: number };

function metrics(request: DecodedRequest): Metric[] {
  const rm = request.resourceMetrics![0] as { scopeMetrics: { scope: { name: string }; metrics: Metric[] }[] };
  return rm.scopeMetrics[0]!.metrics;
}

const attrs = (p: Point) => Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue]));

describe("OTLP/HTTP export decoded with the official .proto files", () => {
  it("protobuf and JSON carry the same request", async () => {
    const proto = await send({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" });
    expect(receiver.received.at(-1)!.contentType).toBe("application/x-protobuf");
    const json = await send({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    expect(receiver.received.at(-1)!.contentType).toBe("application/json");
    expect(json).toEqual(proto);
  });

  it("maps counters to cumulative monotonic sums and gauges to gauges, one point per outbox row, labels as attributes", async () => {
    const request = await send({ OTEL_SERVICE_NAME: "vigil-eu", OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=staging,service.name=ignored" });
    const resource = Object.fromEntries((request.resourceMetrics![0] as { resource: { attributes: Point["attributes"] } }).resource.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(resource).toEqual({ "service.name": "vigil-eu", "deployment.environment.name": "staging", "service.version": "0.1.0", "vigil.org.id": "org-1" });
    const all = metrics(request);
    const ingested = all.find((m) => m.name === "vigil_events_ingested")!;
    expect(ingested.unit).toBe("{event}");
    expect(ingested.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(ingested.sum!.dataPoints.map((p) => [p.timeUnixNano, p.asDouble])).toEqual([[`${AT}000000`, 400], [`${AT + 5_000}000000`, 450]]);
    expect(attrs(ingested.sum!.dataPoints[0]!)).toEqual({ model: "credit", version: "v7" });
    const drift = all.find((m) => m.name === "vigil_feature_drift_score")!;
    expect(drift.gauge!.dataPoints.map(attrs)).toContainEqual({ model: "credit", version: "v7", window: "5m", feature: 'plan "tier"', method: "chi_square_two_sample" });
    expect(drift.gauge!.dataPoints.find((p) => attrs(p).feature === "age")!.asDouble).toBe(0.42);
    // Multi-byte UTF-8 in a string longer than 127 bytes (a two-byte length varint) survives.
    expect(drift.gauge!.dataPoints.find((p) => attrs(p).feature === "région ✓ ".repeat(20))!.asDouble).toBe(0.2);
    expect(all.find((m) => m.name === "vigil_events_rejected")!.sum!.dataPoints[0]!.asDouble).toBe(3);
    expect(all.find((m) => m.name === "vigil_ingest_to_score_seconds")).toMatchObject({ unit: "s", gauge: { dataPoints: [{ asDouble: 0.25 }, { asDouble: 0.25 }] } });
    expect(all.find((m) => m.name === "vigil_label_coverage_ratio")!.gauge!.dataPoints[0]!.asDouble).toBe(0.25);
    expect(all.find((m) => m.name === "vigil_prediction_latency_seconds")!.gauge!.dataPoints.map((p) => p.asDouble)).toEqual([0.012, 0.04, 0.08, 0.012, 0.04, 0.08]);
    // Every name is a Prometheus family name of GET /metrics (no _total on sums).
    for (const m of all) expect(m.name).toMatch(/^vigil_[a-z_]+[a-z]$/);
    expect(all.some((m) => m.name.endsWith("_total"))).toBe(false);
  });

  it("names refused credentials, a missing receiver and an unreachable collector", async () => {
    const config = otlpConfig(env({ OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20wrong" }))!;
    const request = metricsRequest([record(AT, 1)], { attributes: config.resource, version: "0.1.0" });
    const refused = await exportMetrics(config, request).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OtlpExportError);
    expect(refused).toMatchObject({ status: 401, message: expect.stringContaining("refused the credentials; check OTEL_EXPORTER_OTLP_HEADERS") });
    const missing = await exportMetrics(otlpConfig(env({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/elsewhere` }))!, request).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, message: expect.stringContaining("check OTEL_EXPORTER_OTLP_ENDPOINT") });
    const down = await exportMetrics(otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` })!, request).catch((e: unknown) => e);
    expect(down).toMatchObject({ status: null, message: expect.stringContaining("is unreachable") });
    receiver.failWith = 503;
    const overloaded = await exportMetrics(otlpConfig(env())!, request).catch((e: unknown) => e);
    receiver.failWith = null;
    expect(overloaded).toMatchObject({ status: 503, message: expect.stringContaining("retrying with backoff") });
  });

  it("drops a batch the collector refuses as malformed (400) instead of retrying it forever", async () => {
    receiver.failWith = 400;
    try {
      await expect(exportMetrics(otlpConfig(env())!, metricsRequest([record(AT, 1)], { attributes: {}, version: "0.1.0" }))).resolves.toBeUndefined();
    } finally {
      receiver.failWith = null;
    }
  });
});

describe("OTEL_* configuration", () => {
  it("appends /v1/metrics to the base endpoint and takes the metrics endpoint as is", () => {
    expect(otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example:4318" })!.url).toBe("https://otel.example:4318/v1/metrics");
    expect(otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example/prefix/" })!.url).toBe("https://otel.example/prefix/v1/metrics");
    expect(otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://a.example", OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "https://b.example/custom" })!.url).toBe("https://b.example/custom");
    expect(otlpConfig({})).toBeNull();
  });

  it("defaults to http/protobuf, 10 s and service.name vigil; signal-specific headers win per key", () => {
    const c = otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_HEADERS: "a=1,b=2", OTEL_EXPORTER_OTLP_METRICS_HEADERS: "b=3" })!;
    expect(c).toMatchObject({ protocol: "http/protobuf", timeoutMs: 10_000, headers: { a: "1", b: "3" }, resource: { "service.name": "vigil" } });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, "OTEL_EXPORTER_OTLP_PROTOCOL: \"grpc\" is not supported; use http/protobuf or http/json (Workers cannot speak gRPC)"],
    [{ OTEL_EXPORTER_OTLP_HEADERS: "novalue" }, "OTEL_EXPORTER_OTLP_HEADERS: each entry must be key=value"],
    [{ OTEL_EXPORTER_OTLP_HEADERS: "k=%E0%A4%A" }, "OTEL_EXPORTER_OTLP_HEADERS: \"%E0%A4%A\" is not valid percent-encoding"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://c" }, "OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "https://u:p@c" }, "OTEL_EXPORTER_OTLP_ENDPOINT: put credentials in OTEL_EXPORTER_OTLP_HEADERS"],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: "soon" }, "OTEL_EXPORTER_OTLP_TIMEOUT: must be whole milliseconds"],
  ] as const)("refuses %j with a message naming the variable", (extra, message) => {
    expect(() => otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", ...extra })).toThrow(OtlpConfigError);
    expect(() => otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", ...extra })).toThrow(message);
  });
});
