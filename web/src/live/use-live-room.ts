import { createContext } from "preact";
import { useContext, useEffect } from "preact/hooks";
import { currentKey } from "../state/actions.ts";
import { liveRoom, useAppState } from "../state/app-state.ts";
import type { LiveRoom } from "../state/live-room.ts";
import { partySocketFactory, subscribeRoom, type SocketFactory } from "./connection.ts";

/** Where sockets come from: PartySocket against this page's host, or a fake in tests. */
export const SocketContext = createContext<SocketFactory | null>(null);

const defaultFactories = new WeakMap<object, SocketFactory>();

/** The live room for a model version; subscribed while the component is mounted. */
export function useLiveRoom(model: string, version: string): LiveRoom {
  const state = useAppState();
  let factory = useContext(SocketContext) ?? defaultFactories.get(state);
  if (!factory) {
    factory = partySocketFactory(() => currentKey(state));
    defaultFactories.set(state, factory);
  }
  useEffect(() => subscribeRoom(state, model, version, factory), [state, model, version, factory]);
  return liveRoom(state, model, version);
}
