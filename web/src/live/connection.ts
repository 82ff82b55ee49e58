import PartySocket from "partysocket";
import type { AppState } from "../state/app-state.ts";
import { liveRoom } from "../state/app-state.ts";
import { roomName, type LiveRoom } from "../state/live-room.ts";
import { applyRawMessage } from "./apply-message.ts";

/** What the connection needs from a socket; PartySocket provides it, tests pass a fake. */
export interface LiveSocket {
  addEventListener(type: "open" | "close" | "error" | "message", listener: (event: Event) => void): void;
  close(): void;
}

export type SocketFactory = (room: string) => LiveSocket;

export const PARTY = "model-monitor";

/**
 * Sockets to the page's own host. Browsers cannot set headers on a WebSocket, so an API
 * key travels as `?key=` (read again on every reconnect); a cookie session needs nothing.
 */
export function partySocketFactory(apiKey: () => string | null, host = location.host): SocketFactory {
  return (room) =>
    new PartySocket({
      host,
      party: PARTY,
      room,
      query: () => {
        const key = apiKey();
        return key ? { key } : {};
      },
      // Reconnect quickly after a drop; the server replays its latest state on connect.
      minReconnectionDelay: 250,
      maxReconnectionDelay: 5_000,
    });
}

/** Opens one room's socket and feeds the room; returns the disconnect function. */
export function connectRoom(room: LiveRoom, factory: SocketFactory): () => void {
  room.connection.value = "connecting";
  const socket = factory(roomName(room.model, room.version));
  socket.addEventListener("open", () => {
    room.connection.value = "connected";
  });
  socket.addEventListener("close", () => {
    room.connection.value = "disconnected";
  });
  socket.addEventListener("message", (event) => {
    applyRawMessage(room, (event as MessageEvent).data);
  });
  return () => {
    socket.close();
    room.connection.value = "disconnected";
  };
}

const subscriptions = new WeakMap<AppState, Map<string, { count: number; disconnect: () => void }>>();

/**
 * Shares one socket per room between every component that shows it; the socket closes
 * when the last one unsubscribes. Returns the unsubscribe function (an effect's cleanup).
 */
export function subscribeRoom(state: AppState, model: string, version: string, factory: SocketFactory): () => void {
  let subs = subscriptions.get(state);
  if (!subs) subscriptions.set(state, (subs = new Map()));
  const room = liveRoom(state, model, version);
  const name = roomName(model, version);
  const existing = subs.get(name);
  if (existing) existing.count++;
  else subs.set(name, { count: 1, disconnect: connectRoom(room, factory) });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const sub = subs.get(name);
    if (!sub) return;
    sub.count--;
    if (sub.count === 0) {
      subs.delete(name);
      sub.disconnect();
    }
  };
}
