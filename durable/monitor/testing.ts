// Test fixtures for monitors: deterministic events and RPC calls.
import { mulberry32 } from "../../stats/testing/rng.ts";
import { encodeBatch } from "./batch-codec.ts";
import type { FeatureSpec, IngestCall, MonitorEvent, MonitorIdentity } from "./calls.ts";
import { columnsFromEvents } from "./event-columns.ts";

export const TEST_FEATURES: FeatureSpec[] = [
  { name: "age", kind: "numerical" },
  { name: "income", kind: "numerical" },
  { name: "region", kind: "categorical" },
];

export interface EventOptions {
  seed?: number;
  /** Added to age (drift in one feature). */
  ageShift?: number;
  idPrefix?: string;
  latency?: boolean;
}

/** Events with a stable income, an age that can shift, three regions, a binary prediction. */
export function testEvents(n: number, options: EventOptions = {}): MonitorEvent[] {
  const rand = mulberry32(options.seed ?? 1);
  const out: MonitorEvent[] = [];
  for (let i = 0; i < n; i++) {
    const age = 20 + rand() * 40 + (options.ageShift ?? 0);
    const score = rand();
    const event: MonitorEvent = {
      prediction_id: `${options.idPrefix ?? "p"}-${i}`,
      timestamp: Date.now(),
      features: { age, income: 30_000 + rand() * 50_000, region: ["north", "south", "east"][Math.floor(rand() * 3)] },
      prediction: score > 0.5 ? 1 : 0,
      score,
    };
    if (options.latency !== false) event.latency_ms = 5 + rand() * 20;
    out.push(event);
  }
  return out;
}

export function testIdentity(model = "credit", version = "v1"): MonitorIdentity {
  return { orgId: "00000000-0000-0000-0000-000000000001", model, version, predictionKind: "binary" };
}

export function ingestCall(batchId: string, events: MonitorEvent[], identity = testIdentity()): IngestCall {
  return { identity, features: TEST_FEATURES, batchId, receivedAt: Date.now(), count: events.length, events: encodeBatch(columnsFromEvents(events, TEST_FEATURES)) };
}
