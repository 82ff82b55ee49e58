import { snapshotMessage, type SnapshotMessage } from "../../../durable/protocol.ts";
import type { ApiClient } from "./client.ts";
import { ParseError, type Parser } from "./parse.ts";

// One segment's live windows (GET …/live?segment=, workers/routes/live.ts): the snapshot a
// socket receives on connect, with the segment's windows in place of the global ones.

const parseSnapshot: Parser<SnapshotMessage> = (value, path = "") => {
  const parsed = snapshotMessage.safeParse(value);
  if (!parsed.success) throw new ParseError(`${path}${parsed.error.issues[0]?.path.join(".") ?? ""}`, "a monitor snapshot", value);
  return parsed.data;
};

export async function getLiveSegment(api: ApiClient, model: string, version: string, segment: string, signal?: AbortSignal): Promise<SnapshotMessage> {
  const q = new URLSearchParams({ segment });
  return api.get(`/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/live?${q}`, parseSnapshot, signal);
}
