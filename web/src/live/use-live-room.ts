import { createContext } from "preact";
import { useContext, useEffect } from "preact/hooks";
import { liveRoom, useAppState } from "../state/app-state.ts";
import type { LiveRoom } from "../state/live-room.ts";
import { partySocketFactory, subscribeRoom, type SocketFactory } from "./connection.ts";

/** Where sockets come from: PartySocket against this page's host, or a fake in tests. */
export const SocketContext = createContext<SocketFactory | null>(null);

let defaultFactory: SocketFactory | undefined;

/** The live room for a model version; subscribed while the component is mounted. */
export function useLiveRoom(model: string, version: string): LiveRoom {
  const state = useAppState();
  const factory = useContext(SocketContext) ?? (defaultFactory ??= partySocketFactory());
  useEffect(() => subscribeRoom(state, model, version, factory), [state, model, version, factory]);
  return liveRoom(state, model, version);
}
