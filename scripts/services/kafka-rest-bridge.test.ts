import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { produce } from "../../workers/clients/kafka-rest.ts";
import { startMockKafka, type MockKafka } from "./kafka-mock.ts";
import { CLUSTER_ID, startKafkaRestBridge, type KafkaRestBridge } from "./kafka-rest-bridge.ts";

let mock: MockKafka;
let bridge: KafkaRestBridge;

beforeAll(async () => {
  mock = await startMockKafka();
  bridge = await startKafkaRestBridge({ brokers: mock.brokers });
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await mock?.stop();
});

async function consume(topic: string, count: number): Promise<{ key: string; value: unknown }[]> {
  const kafka = new Kafka({ brokers: [mock.brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-${topic}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: { key: string; value: unknown }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages within 20 s`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push({ key: String(message.key), value: JSON.parse(String(message.value)) });
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return got;
  } finally {
    await consumer.disconnect();
  }
}

describe("Kafka REST bridge and the Worker's REST producer", () => {
  it("produces through the v3 API (cluster id discovered) in order, read back by a kafkajs consumer", async () => {
    const records = [1, 2, 3].map((i) => ({ key: "org:model:v1", value: { tick: i, windows: [] } }));
    await produce({ url: bridge.url, api: "v3" }, "vigil.aggregates.v3test", records);
    expect(await consume("vigil.aggregates.v3test", 3)).toEqual(records);
  });

  it("produces through the v2 API (application/vnd.kafka.json.v2+json)", async () => {
    const records = [{ key: "k1", value: { a: 1 } }, { key: "k2", value: { b: [true] } }];
    await produce({ url: bridge.url, api: "v2", clusterId: CLUSTER_ID }, "vigil.aggregates.v2test", records);
    expect(await consume("vigil.aggregates.v2test", 2)).toEqual(records);
  });

  it("fails loudly on what a real proxy refuses", async () => {
    const wrongType = await fetch(`${bridge.url}/topics/t`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(wrongType.status).toBe(415);
    await expect(produce({ url: bridge.url, api: "v3", clusterId: "nope" }, "t", [{ key: "k", value: 1 }])).rejects.toThrow(/HTTP 404/);
  });
});
