import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "./defaults.ts";
import { evaluateRules, resolvedElsewhere, UPDATE_EVERY_MS, type AlertEvent, type RuleStates } from "./evaluate.ts";
import type { FeatureDrift, MonitorMetrics, WindowMetrics } from "./metrics.ts";
import type { AlertRule } from "./rules.ts";

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

function win(features: FeatureDrift[], extra: Partial<WindowMetrics> = {}): WindowMetrics {
  return { window: "5m", from: T0 - 300_000, to: T0, rows: 1000, features, prediction: null, performance: {}, quality: null, latency: null, volumeBaseline: null, ...extra };
}
const psi = (feature: string, score: number): FeatureDrift => ({ feature, method: "psi", score, threshold: 0.2, drifted: score >= 0.2 });
const metrics = (w: WindowMetrics, lastEventAt: number | null = T0): MonitorMetrics => ({ windows: [w], lastEventAt });

const driftRule: AlertRule = {
  id: "r1", name: "Feature drift", severity: "warning", window: "5m", condition: { kind: "feature_drift" },
  forEvaluations: 3, cooldownMs: 10 * 60_000, autoResolveAfter: 5, enabled: true,
};

/** Runs ticks one second apart and collects every event. */
function run(rules: AlertRule[], ticks: MonitorMetrics[], start = T0, states: RuleStates = {}) {
  const events: AlertEvent[] = [];
  let s = states;
  ticks.forEach((m, i) => {
    const r = evaluateRules(rules, s, m, start + i * 1000);
    s = r.states;
    events.push(...r.events);
  });
  return { events, states: s };
}

describe("evaluateRules", () => {
  it("fires only after the condition holds for N consecutive evaluations", () => {
    const drifting = metrics(win([psi("age", 0.4), psi("income", 0.05)]));
    const two = run([driftRule], [drifting, drifting]);
    expect(two.events).toEqual([]);
    const three = run([driftRule], [drifting, drifting, drifting]);
    expect(three.events).toHaveLength(1);
    const fired = three.events[0]!;
    expect(fired).toMatchObject({ type: "fired", ruleId: "r1", severity: "warning", at: T0 + 2000 });
    expect(fired.evidence?.features).toEqual([{ feature: "age", method: "psi", score: 0.4, threshold: 0.2 }]);
    expect(fired.evidence?.summary).toMatch(/1 feature\(s\) drifted; worst age psi 0.400/);
  });

  it("does not storm when a score oscillates around its threshold", () => {
    const above = metrics(win([psi("age", 0.21)]));
    const below = metrics(win([psi("age", 0.19)]));
    const ticks = Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? above : below));
    expect(run([driftRule], ticks).events).toEqual([]);
    // Two up, one down: still never 3 in a row.
    const ticks2 = Array.from({ length: 600 }, (_, i) => (i % 3 === 2 ? below : above));
    expect(run([driftRule], ticks2).events).toEqual([]);
  });

  it("keeps one alert open through a noisy episode and refreshes it at most once a minute", () => {
    const above = metrics(win([psi("age", 0.3)]));
    const below = metrics(win([psi("age", 0.1)]));
    // 3 breaches open it; then 10 minutes of mostly-breaching noise with short clear spells.
    const ticks = [above, above, above, ...Array.from({ length: 600 }, (_, i) => (i % 4 === 3 ? below : above))];
    const { events } = run([driftRule], ticks);
    expect(events.filter((e) => e.type === "fired")).toHaveLength(1);
    expect(events.filter((e) => e.type === "resolved")).toHaveLength(0);
    const updates = events.filter((e) => e.type === "updated");
    expect(updates.length).toBeLessThanOrEqual(10);
    expect(updates.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(UPDATE_EVERY_MS);
    expect(new Set(events.map((e) => e.firingId)).size).toBe(1);
  });

  it("auto-resolves after N clear evaluations, then waits out the cooldown before firing again", () => {
    const above = metrics(win([psi("age", 0.3)]));
    const below = metrics(win([psi("age", 0.1)]));
    const opened = run([driftRule], [above, above, above]);
    const resolved = run([driftRule], [below, below, below, below, below], T0 + 10_000, opened.states);
    expect(resolved.events.map((e) => e.type)).toEqual(["resolved"]);
    expect(resolved.events[0]!.firingId).toBe(opened.events[0]!.firingId);
    // Drift returns one minute later: cooldown (10 min) holds it back.
    const soon = run([driftRule], Array(30).fill(above), T0 + 74_000, resolved.states);
    expect(soon.events).toEqual([]);
    // After the cooldown, a persisting condition opens a new alert (a new firing id).
    const later = run([driftRule], [above], T0 + 14_000 + 10 * 60_000, soon.states);
    expect(later.events.map((e) => e.type)).toEqual(["fired"]);
    expect(later.events[0]!.firingId).not.toBe(opened.events[0]!.firingId);
  });

  it("never auto-resolves when autoResolveAfter is 0", () => {
    const rule = { ...driftRule, autoResolveAfter: 0 };
    const above = metrics(win([psi("age", 0.3)]));
    const below = metrics(win([psi("age", 0.1)]));
    const { events } = run([rule], [above, above, above, ...Array(100).fill(below)]);
    expect(events.map((e) => e.type)).toEqual(["fired"]);
  });

  it("starts the cooldown when a person resolves the alert elsewhere", () => {
    const above = metrics(win([psi("age", 0.3)]));
    const opened = run([driftRule], [above, above, above]);
    const s = { r1: resolvedElsewhere(opened.states.r1!, T0 + 5_000) };
    expect(run([driftRule], Array(3).fill(above), T0 + 6_000, s).events).toEqual([]);
    expect(run([driftRule], Array(3).fill(above), T0 + 6_000 + 10 * 60_000, s).events.map((e) => e.type)).toEqual(["fired"]);
  });

  it("skips, rather than clears, a rule whose window has no data", () => {
    const above = metrics(win([psi("age", 0.3)]));
    const empty: MonitorMetrics = { windows: [], lastEventAt: T0 };
    const { events } = run([driftRule], [above, empty, above, empty, above]);
    expect(events.map((e) => e.type)).toEqual(["fired"]);
  });

  it("ignores disabled rules and drops state of removed rules", () => {
    const above = metrics(win([psi("age", 0.3)]));
    expect(run([{ ...driftRule, enabled: false }], [above, above, above]).events).toEqual([]);
    const r = evaluateRules([], { gone: { breaches: 2, clears: 0, openedAt: null, lastUpdateAt: null, resolvedAt: null } }, above, T0);
    expect(r.states).toEqual({});
  });

  it("gives every event a unique id", () => {
    const above = metrics(win([psi("age", 0.3)]));
    const below = metrics(win([psi("age", 0.1)]));
    const rule = { ...driftRule, cooldownMs: 0, autoResolveAfter: 1, forEvaluations: 1 };
    const { events } = run([rule], [above, below, above, below, above]);
    expect(events.map((e) => e.type)).toEqual(["fired", "resolved", "fired", "resolved", "fired"]);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
  });
});

describe("default rules", () => {
  it("are valid and uniquely keyed", () => {
    expect(new Set(DEFAULT_RULES.map((r) => r.key)).size).toBe(DEFAULT_RULES.length);
    for (const r of DEFAULT_RULES) {
      expect(r.forEvaluations).toBeGreaterThanOrEqual(1);
      expect(r.cooldownMs).toBeGreaterThan(0);
    }
  });

  it("open exactly one feature-drift alert when two of ten features drift", () => {
    const rules = DEFAULT_RULES.map((r, i) => ({ ...r, id: `d${i}`, enabled: true }));
    const features = Array.from({ length: 10 }, (_, i) => psi(`f${i}`, i < 2 ? 0.5 : 0.02));
    const m = metrics(win(features, { latency: { p99: 40 }, quality: { missingRate: { f0: 0 }, newCategoryRate: {}, outOfRangeRate: {} } }));
    const { events } = run(rules, Array(20).fill(m));
    expect(events.map((e) => `${e.type}:${e.ruleName}`)).toEqual(["fired:Feature drift"]);
  });
});
