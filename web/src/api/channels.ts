import type { ApiClient } from "./client.ts";
import { array, bool, literal, nullable, num, object, str, unknownValue, type Parser } from "./parse.ts";

// The channels contract of workers/routes/channels.ts.

export type ChannelKind = "webhook" | "slack" | "pagerduty" | "teams" | "retrain";
export const CHANNEL_KINDS: readonly ChannelKind[] = ["webhook", "slack", "pagerduty", "teams", "retrain"];

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** null: hears every model in the org. */
  models: string[] | null;
  enabled: boolean;
}

const parseChannel: Parser<Channel> = (v, p) => object({ id: str, name: str, kind: literal(...CHANNEL_KINDS), models: nullable(array(str)), enabled: bool })(v, p);

export function listChannels(api: ApiClient, signal?: AbortSignal): Promise<Channel[]> {
  return api.get("/v1/channels", (v) => object({ channels: array(parseChannel) })(v).channels, signal);
}

export interface NewChannel {
  name: string;
  kind: ChannelKind;
  config: Record<string, string>;
  models?: string[];
}

/** Creates a channel; the signing secret (webhook kinds) is in this reply only. */
export function createChannel(api: ApiClient, body: NewChannel): Promise<{ channel: Channel; secret: string | null }> {
  return api.send("POST", "/v1/channels", body, (v) => ({ channel: parseChannel(v), secret: object({ secret: nullable(str) })(v).secret }));
}

export function deleteChannel(api: ApiClient, id: string): Promise<unknown> {
  return api.send("DELETE", `/v1/channels/${encodeURIComponent(id)}`, undefined, unknownValue);
}

export interface TestOutcome {
  ok: boolean;
  status: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export function testChannel(api: ApiClient, id: string): Promise<TestOutcome> {
  return api.send("POST", `/v1/channels/${encodeURIComponent(id)}/test`, undefined, (v) => {
    const o = object({ ok: bool, status: str, status_code: nullable(num), latency_ms: num, error: nullable(str) })(v);
    return { ok: o.ok, status: o.status, statusCode: o.status_code, latencyMs: o.latency_ms, error: o.error };
  });
}
