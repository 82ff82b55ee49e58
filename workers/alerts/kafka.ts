// Alert events to Kafka topic `vigil.alerts` when KAFKA_REST_URL is configured. The
// REST-proxy producer belongs to the sinks (workers/sinks/); until it exists this is
// the seam the dispatcher calls after applying events, and it publishes nothing.
import type { AlertEnvelope } from "../../durable/alerts/envelope.ts";
import type { Bindings } from "../env.ts";

export const ALERTS_TOPIC = "vigil.alerts";

export type AlertProducer = (env: Bindings, topic: string, records: Array<{ key: string; value: unknown }>) => Promise<void>;

let producer: AlertProducer | undefined;

/** Installed once by the Kafka sink module. */
export function setAlertProducer(p: AlertProducer | undefined) {
  producer = p;
}

export function alertRecords(envelopes: readonly AlertEnvelope[]) {
  return envelopes.map((e) => ({
    key: `${e.scope.orgId}:${e.scope.model}:${e.scope.version}`,
    value: { org_id: e.scope.orgId, model: e.scope.model, version: e.scope.version, ...e.event },
  }));
}

export async function publishAlertEvents(env: Bindings, envelopes: readonly AlertEnvelope[]): Promise<void> {
  if (!env.KAFKA_REST_URL || !producer || envelopes.length === 0) return;
  await producer(env, ALERTS_TOPIC, alertRecords(envelopes));
}
