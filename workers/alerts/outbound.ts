import type { FetchLike } from "../channels/request.ts";

/**
 * The one way alert deliveries reach the network. Tests that cannot run a receiver
 * in workerd swap it with `setOutboundFetch`; everything else uses the runtime's fetch.
 */
let impl: FetchLike = (url, init) => fetch(url, init);

export const outboundFetch: FetchLike = (url, init) => impl(url, init);

export function setOutboundFetch(f: FetchLike | undefined) {
  impl = f ?? ((url, init) => fetch(url, init));
}
