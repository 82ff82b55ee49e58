import { parseServerMessage, type ServerMessage } from "../../../durable/protocol.ts";
import { applySnapshot, type LiveRoom } from "../state/live-room.ts";
import { toSnapshot } from "./to-snapshot.ts";

/**
 * Applies one raw socket message to a room. Anything that does not parse is reported on
 * the room (shown on the page) rather than cast and trusted.
 */
export function applyRawMessage(room: LiveRoom, raw: unknown, now = Date.now()): ServerMessage | undefined {
  if (typeof raw !== "string") {
    room.error.value = "a live update was not text";
    return undefined;
  }
  const message = parseServerMessage(raw);
  if (!message) {
    room.error.value = "a live update did not match the protocol; if the server was upgraded, reload the page";
    return undefined;
  }
  applyMessage(room, message, now);
  return message;
}

export function applyMessage(room: LiveRoom, message: ServerMessage, now = Date.now()) {
  switch (message.type) {
    case "snapshot":
    case "update":
      applySnapshot(room, toSnapshot(message, room.snapshot.value), now);
      return;
    case "error":
      room.error.value = `${message.message} (${message.code})`;
      return;
  }
}
