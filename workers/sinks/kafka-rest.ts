// Outbox sink: window aggregates to the Kafka topic vigil.aggregates via the REST proxy.
import type { AggregateRecord, Sink } from "../../durable/monitor/outbox.ts";
import { produce, type KafkaRestConfig } from "../clients/kafka-rest.ts";

export type { KafkaRestApi, KafkaRestConfig } from "../clients/kafka-rest.ts";

export const AGGREGATES_TOPIC = "vigil.aggregates";

/** Aggregates keyed by model version, so one version's points stay in order on one partition. */
export function kafkaAggregatesSink(config: KafkaRestConfig, topic = AGGREGATES_TOPIC): Sink {
  return {
    name: "kafka",
    send: (records: AggregateRecord[]) =>
      produce(config, topic, records.map((r) => ({ key: `${r.orgId}:${r.model}:${r.version}`, value: r }))),
  };
}
