// A fixed notification for payload tests and fixtures.
import type { ChannelTarget, Notification } from "./notification.ts";

export const SAMPLE_NOTIFICATION: Notification = {
  id: "r-1@1795683600000:fired:1795683600000",
  type: "alert.opened",
  created_at: "2026-11-26T09:00:00.000Z",
  alert: {
    id: "5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f",
    status: "open",
    severity: "critical",
    model: "credit-risk",
    version: "v3",
    rule: { id: "0f6c9a52-1c3b-4e2f-8d7a-6b5c4d3e2f1a", name: "Feature drift", kind: "feature_drift" },
    window: "5m",
    summary: "2 feature(s) drifted; worst income wasserstein_normed 0.412 (threshold 0.100)",
    value: 0.412,
    threshold: 0.1,
    features: [
      { feature: "income", method: "wasserstein_normed", score: 0.412, threshold: 0.1 },
      { feature: "age", method: "wasserstein_normed", score: 0.18, threshold: 0.1 },
    ],
    window_from: "2026-11-26T08:55:00.000Z",
    window_to: "2026-11-26T09:00:00.000Z",
    baseline: "v3-training",
    opened_at: "2026-11-26T09:00:00.000Z",
    acknowledged_at: null,
    resolved_at: null,
    fire_count: 1,
  },
  actor: "Vigil",
  note: null,
  links: { alert: "https://vigil.example.com/alerts/5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f", dashboard: "https://vigil.example.com/models/credit-risk/versions/v3" },
};

export const RESOLVED_NOTIFICATION: Notification = {
  ...SAMPLE_NOTIFICATION,
  id: "r-1@1795683600000:resolved:1795684500000",
  type: "alert.resolved",
  alert: { ...SAMPLE_NOTIFICATION.alert!, status: "resolved", resolved_at: "2026-11-26T09:15:00.000Z" },
};

export function target(kind: ChannelTarget["kind"], config: Record<string, unknown>, secret: string | null = null): ChannelTarget {
  return { id: "c0ffee00-0000-4000-8000-000000000001", name: `${kind} channel`, kind, config, secret };
}
