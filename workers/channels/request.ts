// Builds the one HTTP request a delivery attempt makes, by channel kind, and sends it.
import type { ChannelTarget, Notification, OutboundRequest } from "./notification.ts";
import { pagerDutyRequest } from "./pagerduty.ts";
import { retrainRequest } from "./retrain.ts";
import { slackRequest } from "./slack.ts";
import { teamsRequest } from "./teams.ts";
import { webhookRequest } from "./webhook.ts";

export function buildRequest(channel: ChannelTarget, n: Notification, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  switch (channel.kind) {
    case "webhook": return webhookRequest(channel, n, deliveryId, nowSeconds);
    case "slack": return Promise.resolve(slackRequest(channel, n));
    case "pagerduty": return Promise.resolve(pagerDutyRequest(channel, n));
    case "teams": return Promise.resolve(teamsRequest(channel, n));
    case "retrain": return retrainRequest(channel, n, deliveryId, nowSeconds);
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: "manual" }) => Promise<{ status: number; text(): Promise<string> }>;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * One attempt. Any 2xx is success. Redirects are not followed (a receiver could bounce
 * us to an internal address the URL check never saw) and count as failures.
 */
export async function sendRequest(req: OutboundRequest, fetchFn: FetchLike, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<AttemptResult> {
  const t0 = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchFn(req.url, { method: "POST", headers: req.headers, body: req.body, signal: controller.signal, redirect: "manual" });
    const text = await res.text().catch(() => "");
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, latencyMs: Date.now() - t0, error: ok ? null : `HTTP ${res.status}: ${text.slice(0, 200)}` };
  } catch (err) {
    const msg = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
    return { ok: false, statusCode: null, latencyMs: Date.now() - t0, error: msg };
  } finally {
    clearTimeout(timer);
  }
}
