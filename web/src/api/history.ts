import type { HistoryPoint, WindowName } from "../state/live-types.ts";
import type { ApiClient } from "./client.ts";
import { array, nullable, num, object, record, str, unknownValue } from "./parse.ts";

// Stored monitoring history (workers/routes/monitoring.ts, GET …/metrics), as chart points.

const parseHistory = object({
  window: str,
  points: array(object({ at: str, rows: num, drift_share: nullable(num), drifted_features: num, summary: unknownValue })),
  features: record(array(object({ at: str, method: str, score: nullable(num), threshold: num, drifted: (v) => v === true }))),
});

export function toHistoryPoints(body: ReturnType<typeof parseHistory>): HistoryPoint[] {
  const byTime = new Map<number, HistoryPoint>();
  const at = (iso: string) => {
    const t = Date.parse(iso);
    let p = byTime.get(t);
    if (!p) byTime.set(t, (p = { t, eventRate: null, driftShare: null, predictionScore: null, p50: null, p95: null, p99: null, performance: null, features: {} }));
    return p;
  };
  for (const p of body.points) {
    const point = at(p.at);
    point.driftShare = p.drift_share;
    const latency = latencyIn(p.summary);
    if (latency) Object.assign(point, latency);
  }
  for (const [feature, scores] of Object.entries(body.features)) for (const s of scores) at(s.at).features[feature] = s.score;
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

export async function getHistory(api: ApiClient, model: string, version: string, window: WindowName, from: number, to: number, signal?: AbortSignal): Promise<HistoryPoint[]> {
  const q = new URLSearchParams({ window, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const body = await api.get(`/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/metrics?${q}`, parseHistory, signal);
  return toHistoryPoints(body);
}

/** The monitor stores its window summary as-is; latency is read when it has the protocol's shape. */
function latencyIn(summary: unknown): { p50: number | null; p95: number | null; p99: number | null } | null {
  if (typeof summary !== "object" || summary === null) return null;
  const l = (summary as Record<string, unknown>).latency;
  if (typeof l !== "object" || l === null) return null;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const o = l as Record<string, unknown>;
  return { p50: n(o.p50), p95: n(o.p95), p99: n(o.p99) };
}
