// The retraining trigger: the evidence a training pipeline needs (model, version,
// baseline, rule, per-feature scores, window, alert link), sent either as a signed
// generic webhook or as a GitHub `repository_dispatch` (POST /repos/{owner}/{repo}/dispatches).
import type { ChannelTarget, Notification, OutboundRequest } from "./notification.ts";
import { signedJsonRequest } from "./webhook.ts";

export interface RetrainEvidence {
  model: string;
  version: string;
  baseline: string | null;
  rule: { id: string | null; name: string; kind: string };
  alert_id: string;
  alert_url: string | null;
  window: { name: string; from: string | null; to: string | null };
  scores: Array<{ feature: string; method?: string; score: number; threshold: number }>;
  summary: string;
  opened_at: string;
}

export function retrainEvidence(n: Notification): RetrainEvidence | null {
  const a = n.alert;
  if (!a) return null;
  return {
    model: a.model,
    version: a.version,
    baseline: a.baseline,
    rule: a.rule,
    alert_id: a.id,
    alert_url: n.links.alert,
    window: { name: a.window, from: a.window_from, to: a.window_to },
    scores: a.features,
    summary: a.summary,
    opened_at: a.opened_at,
  };
}

export async function retrainRequest(channel: ChannelTarget, n: Notification, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  const evidence = retrainEvidence(n);
  if (channel.config.format === "github") {
    const repo = String(channel.config.repo);
    // client_payload allows at most 10 top-level properties; the evidence has 10.
    const body = JSON.stringify({ event_type: String(channel.config.event_type ?? "vigil-retrain"), client_payload: evidence ?? { test: true, notification: n.id } });
    const base = typeof channel.config.api_url === "string" ? channel.config.api_url.replace(/\/$/, "") : "https://api.github.com";
    return {
      url: `${base}/repos/${repo}/dispatches`,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${String(channel.config.token)}`,
        "x-github-api-version": "2022-11-28",
        "content-type": "application/json",
        "user-agent": "Vigil-Webhooks/1",
      },
      body,
    };
  }
  const body = JSON.stringify({ type: n.type, id: n.id, created_at: n.created_at, evidence, actor: n.actor, note: n.note });
  return signedJsonRequest(String(channel.config.url), channel.secret, body, deliveryId, nowSeconds);
}
