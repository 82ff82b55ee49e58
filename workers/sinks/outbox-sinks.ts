import type { Sink } from "../../durable/monitor/outbox.ts";
import type { Bindings } from "../env.ts";

/** The sinks this deployment drains monitor outboxes to; each is on when configured. */
export function sinksFor(_env: Bindings): Sink[] {
  return [];
}
