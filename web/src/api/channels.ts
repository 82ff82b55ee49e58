import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, object, optional, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export type ChannelKind = "webhook" | "slack" | "pagerduty" | "teams" | "retrain";
export const CHANNEL_KINDS: readonly ChannelKind[] = ["webhook", "slack", "pagerduty", "teams", "retrain"];

export interface Channel {
  id: string;
  name: string;
  kind: string;
  models: string[];
}

const parseChannel: Parser<Channel> = (v, p) => {
  const o = object({ id: (x, q) => String(typeof x === "number" ? x : str(x, q)), name: str, kind: str, models: withDefault(array(str), []) })(v, p);
  return o;
};

export function listChannels(api: ApiClient, signal?: AbortSignal): Promise<Page<Channel>> {
  return api.get("/v1/channels", page(parseChannel), signal);
}

export interface NewChannel {
  name: string;
  kind: ChannelKind;
  config: { url?: string; secret?: string; routing_key?: string };
  models?: string[];
}

export function createChannel(api: ApiClient, body: NewChannel): Promise<Channel> {
  return api.send("POST", "/v1/channels", body, parseChannel);
}

export function deleteChannel(api: ApiClient, id: string): Promise<unknown> {
  return api.send("DELETE", `/v1/channels/${encodeURIComponent(id)}`, undefined, unknownValue);
}

/** Sends a test delivery; the reply describes how the receiver answered. */
export function testChannel(api: ApiClient, id: string): Promise<{ ok: boolean; detail: string }> {
  return api.send("POST", `/v1/channels/${encodeURIComponent(id)}/test`, {}, (v) => {
    const o = object({ status: optional(str), response_code: optional((x) => x), ok: optional((x) => x) })(v);
    const ok = o.ok === true || o.status === "delivered" || o.status === "ok" || (typeof o.response_code === "number" && o.response_code < 300);
    return { ok, detail: JSON.stringify(v) };
  });
}
