import type { FeatureDrift, SnapshotMessage, UpdateMessage, WindowView } from "../../../durable/protocol.ts";

// Protocol messages for tests, typed against durable/protocol.ts so a protocol change
// breaks the type-check here rather than silently in the browser.

export function feature(name: string, score: number, drifted: boolean, overrides: Partial<FeatureDrift> = {}): FeatureDrift {
  return {
    feature: name,
    kind: "numerical",
    method: "wasserstein_normed",
    direction: "distance",
    score,
    threshold: 0.1,
    drifted,
    count: 100,
    scores: { wasserstein_normed: score },
    distribution: { kind: "numerical", edges: [0, 1, 2], reference: [0.2, 0.3, 0.3, 0.2], current: [0.1, 0.2, 0.3, 0.4] },
    ...overrides,
  };
}

export function windowView(window: WindowView["window"], features: FeatureDrift[], overrides: Partial<WindowView> = {}): WindowView {
  const scored = features.filter((f) => f.score !== null);
  return {
    window,
    from: 0,
    to: 60_000,
    rows: 100,
    features,
    prediction: null,
    driftShare: scored.length ? scored.filter((f) => f.drifted).length / scored.length : null,
    quality: { missingRate: { income: 0.02 }, newCategoryRate: {}, outOfRangeRate: { income: 0.01 }, typeViolationRate: {}, absentRate: {}, unknownFeatureRate: {} },
    latency: { p50: 5, p95: 12, p99: 30, count: 100 },
    performance: { task: "classification", labeled: 50, metrics: { accuracy: 0.91, roc_auc: 0.88 } },
    ...overrides,
  };
}

const baseline = { status: "ready", source: "upload", rows: 5000, target: 5000, frozenAt: 1, features: [] } as const;
const totals = { events: 1000, batches: 10, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: 1, lateEvents: 0, rejectedEvents: 0 };

export function snapshot(model: string, version: string, overrides: Partial<SnapshotMessage> = {}): SnapshotMessage {
  const features = [feature("income", 0.02, false), feature("age", 0.4, true), feature("region", 0.05, false, { kind: "categorical", method: "jensen_shannon", distribution: { kind: "categorical", categories: ["north", "south", "__other__"], reference: [0.5, 0.4, 0.1], current: [0.2, 0.7, 0.1] } })];
  return {
    type: "snapshot",
    model,
    version,
    serverTime: 1_700_000_000_000,
    baseline: { ...baseline, features: [] },
    windows: [windowView("5m", features), windowView("1h", features), windowView("24h", features)],
    volume: [{ t: 1_699_999_940_000, events: 600 }],
    eventRate: 10,
    totals,
    ...overrides,
  };
}

export function update(tick: number, eventRate: number, overrides: Partial<UpdateMessage> = {}): UpdateMessage {
  return {
    type: "update",
    serverTime: 1_700_000_000_000 + tick * 1000,
    tick,
    baseline: { ...baseline, features: [] },
    windows: [windowView("5m", [feature("income", 0.02, false), feature("age", 0.5, true)])],
    volume: [{ t: 1_700_000_000_000, events: 60 * eventRate }],
    eventRate,
    totals: { ...totals, events: totals.events + tick * eventRate },
    ...overrides,
  };
}
