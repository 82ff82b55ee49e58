// The one call a ModelMonitor makes each alarm tick, after scoring: evaluate the alert
// rules on the windows it just built. It never throws into the monitor's loop; a
// failure is logged and the next tick tries again (events wait in the step's outbox).
import type { EmbeddingDriftView, MultivariateView, VolumePoint, WindowView } from "../protocol.ts";
import { AlertStep, type StepResult } from "./alert-step.ts";
import { dispatcherSink, type DispatcherNamespace } from "./dispatcher-sink.ts";
import { monitorMetrics } from "./from-window-view.ts";
import { volumeBaselines } from "./volume-baseline.ts";

/** What the step reads from the monitor (durable/monitor/monitor.ts satisfies it). */
export interface MonitorView {
  identity: { orgId: string; model: string; version: string } | null;
  totals: { lastEventAt: number | null };
  volume(now: number, span?: number): VolumePoint[];
  baselineInfo(): { status: string; source: string | null; frozenAt: number | null };
  /** The latest multivariate scores, when the monitor has them. */
  multivariate?: MultivariateView | null;
  /** The latest embedding drift, when the monitor has embedding features. */
  embeddings?: { views: EmbeddingDriftView[] };
}

const steps = new WeakMap<SqlStorage, AlertStep>();

function baselineName(m: MonitorView): string | null {
  const b = m.baselineInfo();
  if (b.status !== "ready") return null;
  return `${b.source ?? "baseline"}${b.frozenAt ? `@${new Date(b.frozenAt).toISOString()}` : ""}`;
}

export async function evaluateAlerts(
  sql: SqlStorage,
  env: { AlertDispatcher: DispatcherNamespace },
  m: MonitorView,
  windows: readonly WindowView[],
  now: number,
): Promise<StepResult | null> {
  if (!m.identity) return null;
  try {
    let step = steps.get(sql);
    if (!step) {
      step = new AlertStep(sql, dispatcherSink(env.AlertDispatcher));
      steps.set(sql, step);
    }
    const metrics = monitorMetrics(windows, {
      lastEventAt: m.totals.lastEventAt,
      volumeBaseline: volumeBaselines(m.volume(now, 24 * 60 * 60_000), now),
      baseline: baselineName(m),
      multivariate: m.multivariate,
      embeddings: m.embeddings?.views ?? [],
    });
    return await step.tick({ orgId: m.identity.orgId, modelId: null, model: m.identity.model, version: m.identity.version }, metrics, now);
  } catch (err) {
    console.error(`alert evaluation for ${m.identity.model}:${m.identity.version} failed:`, (err as Error).message);
    return null;
  }
}
