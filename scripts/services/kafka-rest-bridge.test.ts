import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchesOf, KafkaAuthError, kafkaConfig, parseConcatenatedJson, produce } from "../../workers/clients/kafka-rest.ts";
import { startMockKafka, type MockKafka } from "./kafka-mock.ts";
import { CLUSTER_ID, startKafkaRestBridge, type KafkaRestBridge } from "./kafka-rest-bridge.ts";

let mock: MockKafka;
let bridge: KafkaRestBridge;
let basicBridge: KafkaRestBridge;
let bearerBridge: KafkaRestBridge;

beforeAll(async () => {
  mock = await startMockKafka();
  bridge = await startKafkaRestBridge({ brokers: mock.brokers });
  basicBridge = await startKafkaRestBridge({ brokers: mock.brokers, credentials: { username: "api-key", password: "s3cret:with:colons" } });
  bearerBridge = await startKafkaRestBridge({ brokers: mock.brokers, credentials: { token: "tok-123" } });
}, 60_000);

afterAll(async () => {
  await bridge?.close();
  await basicBridge?.close();
  await bearerBridge?.close();
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

/** Messages on a topic: the sum of its partitions' high watermarks. */
async function messagesOn(topic: string): Promise<number> {
  const admin = new Kafka({ brokers: [mock.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
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

describe("secured proxy: credentials", () => {
  it("sends HTTP Basic credentials from KAFKA_REST_USERNAME / KAFKA_REST_PASSWORD (v3 and v2)", async () => {
    const env = { KAFKA_REST_URL: basicBridge.url, KAFKA_REST_USERNAME: "api-key", KAFKA_REST_PASSWORD: "s3cret:with:colons" };
    const records = [{ key: "k", value: { basic: 3 } }];
    await produce(kafkaConfig(env)!, "vigil.auth.basic3", records);
    await produce(kafkaConfig({ ...env, KAFKA_REST_API: "v2" })!, "vigil.auth.basic2", records);
    expect(await consume("vigil.auth.basic3", 1)).toEqual(records);
    expect(await consume("vigil.auth.basic2", 1)).toEqual(records);
  });

  it("sends a Bearer token from KAFKA_REST_TOKEN", async () => {
    const records = [{ key: "k", value: { bearer: true } }];
    await produce(kafkaConfig({ KAFKA_REST_URL: bearerBridge.url, KAFKA_REST_TOKEN: "tok-123" })!, "vigil.auth.bearer", records);
    expect(await consume("vigil.auth.bearer", 1)).toEqual(records);
  });

  it("fails with a credentials error, naming the settings, without or with wrong credentials", async () => {
    const records = [{ key: "k", value: 1 }];
    await expect(produce(kafkaConfig({ KAFKA_REST_URL: basicBridge.url })!, "t", records)).rejects.toThrow(KafkaAuthError);
    const wrong = kafkaConfig({ KAFKA_REST_URL: basicBridge.url, KAFKA_REST_USERNAME: "api-key", KAFKA_REST_PASSWORD: "nope", KAFKA_REST_API: "v2" })!;
    await expect(produce(wrong, "t", records)).rejects.toThrow(/HTTP 401.*KAFKA_REST_USERNAME/);
  });

  it("refuses incomplete or doubled credentials with a message, and never puts a secret in it", async () => {
    const half = kafkaConfig({ KAFKA_REST_URL: bridge.url, KAFKA_REST_USERNAME: "u" })!;
    expect(half.configError).toMatch(/must be set together/);
    await expect(produce(half, "t", [{ key: "k", value: 1 }])).rejects.toThrow(/must be set together/);
    const both = kafkaConfig({ KAFKA_REST_URL: bridge.url, KAFKA_REST_TOKEN: "secret-token", KAFKA_REST_USERNAME: "u", KAFKA_REST_PASSWORD: "secret-pw" })!;
    expect(both.configError).toMatch(/not both/);
    expect(both.configError).not.toMatch(/secret/);
  });
});

describe("batching and partial failures", () => {
  it("drains 10,000 records in a handful of requests (v3 streaming and v2), every record once", async () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i % 7}`, value: { i } }));
    await produce({ url: bridge.url, api: "v3" }, "vigil.batch.v3", records);
    await produce({ url: bridge.url, api: "v2" }, "vigil.batch.v2", records);
    expect(bridge.requests("vigil.batch.v3")).toBe(5);
    expect(bridge.requests("vigil.batch.v2")).toBe(5);
    const got = await consume("vigil.batch.v3", 10_000);
    expect(new Set(got.map((r) => (r.value as { i: number }).i)).size).toBe(10_000);
  }, 60_000);

  it.each(["v3", "v2"] as const)("resends only the records the proxy failed (%s): none lost, none twice", async (api) => {
    const topic = `vigil.partial.${api}`;
    const records = Array.from({ length: 10 }, (_, i) => ({ key: "k", value: { i } }));
    bridge.failNextRecords(topic, 3);
    await produce({ url: bridge.url, api }, topic, records);
    expect(bridge.requests(topic)).toBe(2);
    const got = await consume(topic, 10);
    expect(got.map((r) => (r.value as { i: number }).i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Exactly 10 messages on the topic: the delivered 7 were not sent again.
    expect(await messagesOn(topic)).toBe(10);
  }, 60_000);

  it("splits batches by size as well as by count", () => {
    const big = { key: "k", value: "x".repeat(1_000_000) };
    expect(batchesOf([big, big, big, big, big, big]).map((b) => b.length)).toEqual([4, 2]);
    expect(batchesOf(Array.from({ length: 4_001 }, () => ({ key: "k", value: 1 }))).map((b) => b.length)).toEqual([2_000, 2_000, 1]);
  });

  it("reads the v3 streaming response: concatenated reports, strings with braces and escapes", () => {
    expect(parseConcatenatedJson('{"error_code":200,"m":"a}{\\"b"}\n{"error_code":503}')).toEqual([{ error_code: 200, m: 'a}{"b' }, { error_code: 503 }]);
  });
});
