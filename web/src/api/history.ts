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
  for (const p of body.points) at(p.at).driftShare = p.drift_share;
  for (const [feature, scores] of Object.entries(body.features)) for (const s of scores) at(s.at).features[feature] = s.score;
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

export async function getHistory(api: ApiClient, model: string, version: string, window: WindowName, from: number, to: number, signal?: AbortSignal): Promise<HistoryPoint[]> {
  const q = new URLSearchParams({ window, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const body = await api.get(`/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/metrics?${q}`, parseHistory, signal);
  return toHistoryPoints(body);
}
