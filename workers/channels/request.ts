// Builds the one HTTP request a delivery attempt makes, by channel kind, and sends it.
// Where it may go is checked by the caller before every send (alerts/deliver.ts).
import type { ChannelTarget, Notification, OutboundRequest } from "./notification.ts";
import { pagerDutyRequest } from "./pagerduty.ts";
import { responseExcerpt } from "./redact-text.ts";
import { discard, replyExcerpt, statusLine, type ReceiverResponse } from "./reply.ts";
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

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: "manual" }) => Promise<ReceiverResponse>;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** What went wrong, safe for anyone who may read the delivery log: a status line or a redacted network error. */
  error: string | null;
  /** Admins only, never stored: ≤ 200 redacted characters of a failed reply. */
  excerpt: string | null;
}

export const ATTEMPT_TIMEOUT_MS = 10_000;

export interface SendOptions {
  timeoutMs?: number;
  /** The channel's credentials, removed from anything shown (a receiver may echo them). */
  known?: ReadonlyArray<string | null | undefined>;
}

/**
 * One attempt. Any 2xx is success. Redirects are not followed (a receiver could bounce
 * us to an internal address the URL check never saw) and count as failures. The reply
 * is read only when it failed, and then at most 64 KB of it (reply.ts).
 */
export async function sendRequest(req: OutboundRequest, fetchFn: FetchLike, opts: SendOptions = {}): Promise<AttemptResult> {
  const timeoutMs = opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const known = [...(opts.known ?? []), req.url];
  const t0 = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchFn(req.url, { method: "POST", headers: req.headers, body: req.body, signal: controller.signal, redirect: "manual" });
    const ok = res.status >= 200 && res.status < 300;
    const excerpt = ok ? (await discard(res.body), null) : await replyExcerpt(res, known);
    return { ok, statusCode: res.status, latencyMs: Date.now() - t0, error: ok ? null : statusLine(res.status), excerpt };
  } catch (err) {
    const msg = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : responseExcerpt(String((err as Error)?.message ?? err), known) ?? "network error";
    return { ok: false, statusCode: null, latencyMs: Date.now() - t0, error: msg, excerpt: null };
  } finally {
    clearTimeout(timer);
  }
}
