import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts } from "../../workers/db/schema/index.ts";
import { seedModelVersion } from "../../workers/alerts/testing.ts";
import { testEnv, withDb } from "../../workers/testing/seed.ts";
import { AlertStep, FIRST_RULES_WAIT_MS } from "./alert-step.ts";
import { dispatcherSink } from "./dispatcher-sink.ts";
import type { AlertEnvelope, AlertSink, MonitorRules } from "./envelope.ts";
import type { MonitorMetrics } from "./metrics.ts";
import type { AlertRule } from "./rules.ts";

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const rule: AlertRule = { id: "r1", name: "Feature drift", severity: "warning", window: "5m", condition: { kind: "feature_drift" }, forEvaluations: 2, cooldownMs: 60_000, autoResolveAfter: 2, enabled: true };
const scope = { orgId: "org-1", modelId: null, model: "credit-risk", version: "v3" };

function metrics(score: number): MonitorMetrics {
  return {
    lastEventAt: T0,
    windows: [{ window: "5m", from: T0 - 300_000, to: T0, rows: 100, features: [{ feature: "income", method: "psi", score, threshold: 0.2, drifted: score >= 0.2 }], prediction: null, performance: {}, quality: null, latency: null, volumeBaseline: null }],
  };
}

/** A sink standing in for the dispatcher: records what it accepts, and can refuse. */
function memorySink(rules: MonitorRules) {
  const accepted: AlertEnvelope[] = [];
  let down = false;
  const sink: AlertSink = {
    rulesFor: async () => rules,
    enqueue: async (_org, envelopes) => {
      if (down) throw new Error("dispatcher unavailable");
      accepted.push(...envelopes);
      return envelopes.length;
    },
  };
  return { sink, accepted, setDown: (d: boolean) => (down = d) };
}

/** Storage of a fresh object to host the step (any SQLite-backed class will do). */
function storageOf(name: string) {
  return testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(`alert-step-${name}-${Math.random()}`));
}

describe("AlertStep", () => {
  it("keeps rule state across instances (eviction), so hysteresis spans restarts", async () => {
    const m = memorySink({ modelId: null, rules: [rule], resolved: [] });
    await runInDurableObject(storageOf("state"), async (_i, state) => {
      await new AlertStep(state.storage.sql, m.sink).tick(scope, metrics(0.5), T0);
      // A new step object on the same storage continues the count: the second breach fires.
      const r = await new AlertStep(state.storage.sql, m.sink).tick(scope, metrics(0.5), T0 + 1000);
      expect(r.events.map((e) => e.event.type)).toEqual(["fired"]);
    });
    expect(m.accepted).toHaveLength(1);
    expect(m.accepted[0]!.scope).toEqual(scope);
  });

  it("holds events in its outbox while the dispatcher is down and sends them once, in order, when it is back", async () => {
    const m = memorySink({ modelId: "model-1", rules: [rule], resolved: [] });
    await runInDurableObject(storageOf("outbox"), async (_i, state) => {
      const step = new AlertStep(state.storage.sql, m.sink);
      m.setDown(true);
      await step.tick(scope, metrics(0.5), T0);
      const fired = await step.tick(scope, metrics(0.5), T0 + 1000);
      expect(fired.pending).toBe(1);
      await step.tick(scope, metrics(0.1), T0 + 2000);
      const resolved = await step.tick(scope, metrics(0.1), T0 + 3000);
      expect(resolved.pending).toBe(2);
      m.setDown(false);
      expect(await step.flush(scope.orgId)).toBe(0);
      expect(await step.flush(scope.orgId)).toBe(0);
    });
    expect(m.accepted.map((e) => e.event.type)).toEqual(["fired", "resolved"]);
    expect(m.accepted[0]!.scope.modelId).toBe("model-1");
  });

  it("cools down after a person resolved the alert elsewhere, then fires again", async () => {
    let resolved: MonitorRules["resolved"] = [];
    const accepted: AlertEnvelope[] = [];
    const sink: AlertSink = { rulesFor: async () => ({ modelId: null, rules: [rule], resolved }), enqueue: async (_o, e) => (accepted.push(...e), e.length) };
    await runInDurableObject(storageOf("elsewhere"), async (_i, state) => {
      const step = new AlertStep(state.storage.sql, sink);
      await step.tick(scope, metrics(0.5), T0);
      await step.tick(scope, metrics(0.5), T0 + 1000);
      resolved = [{ ruleId: "r1", firingId: `r1@${T0 + 1000}`, resolvedAt: T0 + 2000 }];
      // Rules refresh after RULES_TTL_MS (30 s): the step learns of the resolution.
      await step.tick(scope, metrics(0.5), T0 + 31_000);
      await step.tick(scope, metrics(0.5), T0 + 32_000);
      expect(accepted.map((e) => e.event.type)).toEqual(["fired"]);
      await step.tick(scope, metrics(0.5), T0 + 62_000);
      expect(accepted.map((e) => e.event.type)).toEqual(["fired", "fired"]);
    });
  });

  it("reaches Postgres through the real dispatcher: defaults load and a drift onset opens one alert", async () => {
    const f = await withDb(seedModelVersion);
    const sink = dispatcherSink(testEnv.AlertDispatcher);
    const live = { orgId: f.orgId, modelId: null, model: f.model, version: f.version };
    const now = Date.now();
    await runInDurableObject(storageOf("real"), async (_i, state) => {
      const step = new AlertStep(state.storage.sql, sink);
      for (let i = 0; i < 5; i++) {
        const r = await step.tick(live, { ...metrics(0.6), lastEventAt: now }, now + i * 1000);
        expect(r.evaluated).toBeGreaterThan(0);
      }
    });
    const dispatcher = testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
    await dispatcher.drain();
    const rows = await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)));
    expect(rows.map((r) => [r.ruleName, r.status, r.modelId])).toEqual([["Feature drift", "open", f.modelId]]);
  });

  it("waits at most FIRST_RULES_WAIT_MS for a first rules load that hangs, and not again until rules land", async () => {
    let answer: ((rules: MonitorRules) => void) | undefined;
    const sink: AlertSink = {
      rulesFor: () => new Promise<MonitorRules>((resolve) => (answer = resolve)),
      enqueue: async (_o, e) => e.length,
    };
    await runInDurableObject(storageOf("hung-first"), async (_i, state) => {
      const step = new AlertStep(state.storage.sql, sink);
      let started = Date.now();
      expect((await step.tick(scope, metrics(0.5), T0)).evaluated).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(FIRST_RULES_WAIT_MS - 50);
      expect(Date.now() - started).toBeLessThan(FIRST_RULES_WAIT_MS + 1_000);
      started = Date.now();
      expect((await step.tick(scope, metrics(0.5), T0 + 250)).evaluated).toBe(0);
      expect(Date.now() - started).toBeLessThan(500);
      answer!({ modelId: null, rules: [rule], resolved: [] });
      await new Promise((r) => setTimeout(r, 0));
      expect((await step.tick(scope, metrics(0.5), T0 + 500)).evaluated).toBe(1);
    });
  });

  it("never stalls a tick on a slow rules refresh, and retries a failed first load only every few seconds", async () => {
    let calls = 0;
    let hang = false;
    const sink: AlertSink = {
      rulesFor: () => {
        calls++;
        if (hang) return new Promise<MonitorRules>(() => {});
        if (calls === 1) return Promise.reject(new Error("dispatcher starting"));
        return Promise.resolve({ modelId: null, rules: [rule], resolved: [] });
      },
      enqueue: async (_o, e) => e.length,
    };
    await runInDurableObject(storageOf("slow"), async (_i, state) => {
      const step = new AlertStep(state.storage.sql, sink);
      expect((await step.tick(scope, metrics(0.5), T0)).evaluated).toBe(0);
      await step.tick(scope, metrics(0.5), T0 + 1_000);
      expect(calls).toBe(1);
      expect((await step.tick(scope, metrics(0.5), T0 + 5_000)).evaluated).toBe(1);
      expect(calls).toBe(2);
      hang = true;
      // 30 s later a refresh starts and never answers; ticks go on with the rules they have.
      const r = await Promise.race([step.tick(scope, metrics(0.5), T0 + 40_000), new Promise<null>((res) => setTimeout(() => res(null), 2_000))]);
      expect(r?.evaluated).toBe(1);
      expect(calls).toBe(3);
    });
  });
});
