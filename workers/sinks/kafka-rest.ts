// Outbox sink: window aggregates to the Kafka topic vigil.aggregates via the REST proxy.
import type { AggregateRecord, Sink } from "../../durable/monitor/outbox.ts";
import { produce, type KafkaRestConfig } from "../clients/kafka-rest.ts";

export type { KafkaRestApi, KafkaRestConfig } from "../clients/kafka-rest.ts";

export const AGGREGATES_TOPIC = "vigil.aggregates";
/** Rows the outbox hands the Kafka sink per send: the producer splits them into requests of at most 2,000 records / 4 MiB. */
export const KAFKA_DRAIN_BATCH = 1_000;

/** Aggregates keyed by model version, so one version's points stay in order on one partition. */
export function kafkaAggregatesSink(config: KafkaRestConfig, topic = AGGREGATES_TOPIC): Sink {
  return {
    name: "kafka",
    batchSize: KAFKA_DRAIN_BATCH,
    send: (records: AggregateRecord[]) =>
      // The event-time series points are for the Postgres history only (GET …/impact), not part of the published record.
      produce(config, topic, records.map(({ series: _series, ...r }) => ({ key: `${r.orgId}:${r.model}:${r.version}`, value: r }))),
  };
}
