// Alert events to the Kafka topic `vigil.alerts` through the REST proxy producer of
// the sinks (workers/clients/kafka-rest.ts), when KAFKA_REST_URL is configured.
// The dispatcher keeps unpublished records in its own SQLite until the proxy takes them.
import type { AlertEnvelope } from "../../durable/alerts/envelope.ts";
import { produce, type KafkaRecord, type KafkaRestConfig } from "../clients/kafka-rest.ts";

export { kafkaConfig } from "../clients/kafka-rest.ts";

export const ALERTS_TOPIC = "vigil.alerts";

/** Keyed by model version, so one version's alert events stay in order on one partition. */
export function alertRecord(e: AlertEnvelope): KafkaRecord {
  return {
    key: `${e.scope.orgId}:${e.scope.model}:${e.scope.version}`,
    value: { org_id: e.scope.orgId, model: e.scope.model, version: e.scope.version, ...e.event },
  };
}

export function publishAlertRecords(config: KafkaRestConfig, records: readonly KafkaRecord[]): Promise<void> {
  return produce(config, ALERTS_TOPIC, records);
}
