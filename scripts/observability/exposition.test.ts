// The exposition renderer (workers/observability/exposition.ts) on hostile label values,
// checked by promtool itself: `promtool check metrics` for the text format and promtool's
// OpenMetrics parser for OpenMetrics, then parsed back here to prove each value survived
// escaping exactly. Also the Accept negotiation. The live scrape is checked the same way
// in scripts/e2e/observability.e2e.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { WindowView } from "../../durable/protocol.ts";
import { MetricSet } from "../../workers/observability/families.ts";
import { escapeLabelValue, negotiateFormat, render } from "../../workers/observability/exposition.ts";
import { addVersionSamples } from "../../workers/observability/version-samples.ts";

/** promtool's answer; a missing promtool fails with the way to get it. */
function promtool(args: string[], input?: string) {
  const result = spawnSync("promtool", args, { input, encoding: "utf8" });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): install the Debian package prometheus (apt-get install prometheus); .ci/run does`);
  return result;
}

const HOSTILE = ['quote " inside', "back\\slash", "new\nline", "trailing \\", "ünïcødé ✓", "{braces}=,", ""];

function samples(): MetricSet {
  const set = new MetricSet();
  const window: WindowView = {
    window: "1h", from: 0, to: 1, rows: 10, prediction: null, driftShare: 0.25, latency: null, performance: null,
    features: HOSTILE.map((feature, i) => ({ feature, kind: "numerical" as const, method: "wasserstein_normed", direction: "distance" as const, score: i / 10, threshold: 0.1, drifted: i > 1, count: 10, scores: {}, distribution: null })),
    quality: { missingRate: Object.fromEntries(HOSTILE.map((f) => [f, 0.1])), newCategoryRate: {}, outOfRangeRate: {}, typeViolationRate: {}, absentRate: {}, unknownFeatureRate: { "x\ny": 0.5 } },
  };
  addVersionSamples(set, {
    model: 'm"odel', version: "v\\1", windows: [window], ingestToCountMs: 1234, baselineReady: true, openAlerts: { critical: 2 },
    totals: { events: 10, batches: 1, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: 1_780_000_000_000, lateEvents: 0, rejectedEvents: 1 },
    sinks: [{ name: "otlp", failuresTotal: 3, consecutiveFailures: 1, backlog: 7 }],
  });
  return set;
}

/** Label values of every sample line of one metric, unescaped per the text format. */
function labelValues(text: string, metric: string, label: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`)) continue;
    const m = new RegExp(`${label}="((?:[^"\\\\]|\\\\.)*)"`).exec(line);
    if (m) out.push(m[1]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c)));
  }
  return out;
}

describe("exposition syntax, checked by promtool", () => {
  it("the Prometheus text format passes promtool check metrics, and hostile label values round-trip", () => {
    const text = render(samples().families(), "prometheus");
    const checked = promtool(["check", "metrics"], text);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
    expect(labelValues(text, "vigil_feature_drift_score", "feature")).toEqual(HOSTILE);
    expect(labelValues(text, "vigil_events_ingested_total", "model")).toEqual(['m"odel']);
    expect(labelValues(text, "vigil_events_ingested_total", "version")).toEqual(["v\\1"]);
    expect(text).toContain("vigil_ingest_to_score_seconds{model=\"m\\\"odel\",version=\"v\\\\1\"} 1.234\n");
    // Keys outside the schema never become labels.
    expect(text).not.toContain("x\\ny");
  });

  it("OpenMetrics passes promtool's OpenMetrics parser, counters named without _total in metadata", () => {
    const text = render(samples().families(), "openmetrics");
    expect(text.endsWith("\n# EOF\n")).toBe(true);
    expect(text).toContain("# TYPE vigil_sink_failures counter\nvigil_sink_failures_total{");
    const dir = mkdtempSync(join(tmpdir(), "vigil-om-"));
    try {
      writeFileSync(join(dir, "m.om"), text.split("\n").map((l) => (l === "" || l.startsWith("#") ? l : `${l} 1780000000`)).join("\n"));
      const parsed = promtool(["tsdb", "create-blocks-from", "openmetrics", join(dir, "m.om"), join(dir, "blocks")]);
      expect(parsed.stderr).toBe("");
      expect(parsed.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("escapes backslash, double quote and newline in label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it.each([
    [undefined, "prometheus"],
    ["*/*", "prometheus"],
    ["text/plain;version=0.0.4", "prometheus"],
    ["application/openmetrics-text", "openmetrics"],
    ["application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.3,*/*;q=0.2", "openmetrics"],
    ["text/plain;q=1,application/openmetrics-text;q=0.5", "prometheus"],
    ["application/openmetrics-text;q=0", "prometheus"],
  ] as const)("Accept %s → %s", (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
