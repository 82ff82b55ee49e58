// The one WebSocket protocol between a ModelMonitor and its dashboard sockets.
// Server and client both import it; the client parses with `parseServerMessage`
// instead of casting.

export interface HelloMessage {
  type: "hello";
  model: string;
  version: string;
  serverTime: number;
}

export interface ErrorMessage {
  type: "error";
  code: string;
  message: string;
}

export type ServerMessage = HelloMessage | ErrorMessage;

export function parseServerMessage(raw: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case "hello":
      return typeof m.model === "string" && typeof m.version === "string" && typeof m.serverTime === "number"
        ? { type: "hello", model: m.model, version: m.version, serverTime: m.serverTime }
        : undefined;
    case "error":
      return typeof m.code === "string" && typeof m.message === "string"
        ? { type: "error", code: m.code, message: m.message }
        : undefined;
    default:
      return undefined;
  }
}

/** A room name is `<model>:<version>`; model names may not contain ':'. */
export function parseRoomName(name: string): { model: string; version: string } | undefined {
  const at = name.indexOf(":");
  if (at <= 0 || at === name.length - 1) return undefined;
  return { model: name.slice(0, at), version: name.slice(at + 1) };
}
