// End-to-end through `npm start`: telemetry in over HTTPS, drift out on the live socket
// within about a second, aggregates in Postgres and on Kafka (REST bridge → mock cluster).
// API calls go through Prism (contract-proxy.ts), which checks each against /openapi.json.
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseServerMessage, type ServerMessage } from "../../durable/protocol.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { startMockKafka, type MockKafka } from "../services/kafka-mock.ts";
import { recordErrors } from "../schemas/validate-record.ts";
import { startKafkaRestBridge, type KafkaRestBridge } from "../services/kafka-rest-bridge.ts";
import { launchStack, type Stack } from "../testing/stack.ts";
import { startContractProxy, type ContractProxy } from "./contract-proxy.ts";

let stack: Stack;
let kafka: MockKafka;
let bridge: KafkaRestBridge;
let contract: ContractProxy;
const MODEL = "e2e-credit";

beforeAll(async () => {
  kafka = await startMockKafka();
  // The bridge requires credentials, as a secured proxy does: the events arriving prove Vigil sends them.
  bridge = await startKafkaRestBridge({ brokers: kafka.brokers, credentials: { username: "vigil-e2e", password: "e2e-secret" } });
  stack = await launchStack({ KAFKA_REST_URL: bridge.url, KAFKA_REST_USERNAME: "vigil-e2e", KAFKA_REST_PASSWORD: "e2e-secret" });
  contract = await startContractProxy(stack.base);
}, 180_000);

afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

afterAll(async () => {
  await contract?.close();
  await stack?.stop();
  await bridge?.close();
  await kafka?.stop();
});

function events(n: number, seed: number, ageShift: number, prefix: string) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    features: { age: 20 + rand() * 40 + ageShift, income: 30_000 + rand() * 50_000, region: ["north", "south", "east"][Math.floor(rand() * 3)] },
    prediction: rand() > 0.5 ? 1 : 0,
    latency_ms: 3 + rand() * 10,
  }));
}

async function ingest(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await contract.fetch("/v1/ingest", {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("ingest → live drift → Postgres history (npm start)", () => {
  it("registers on first ingest, freezes a baseline, shows drift on the socket within ~1 s, lands aggregates in Postgres and on Kafka", async () => {
    // 5,000 reference events (the default first-events baseline), 1,000 per batch.
    for (let b = 0; b < 5; b++) {
      const r = await ingest({ model: MODEL, version: "v1", batch_id: `ref-${b}`, events: events(1_000, b + 1, 0, `ref${b}`) });
      expect(r.status).toBe(200);
      expect(r.json.accepted).toBe(1_000);
      if (b === 0) expect(r.json.registered).toBeDefined();
    }
    const messages: { at: number; message: ServerMessage }[] = [];
    const ws = new WebSocket(`${stack.base.replace("http", "ws")}/parties/model-monitor/${MODEL}:v1?key=${stack.adminKey}`);
    let unparsed = 0;
    let closed: string | null = null;
    ws.on("message", (data) => {
      const message = parseServerMessage(String(data));
      if (message) messages.push({ at: Date.now(), message });
      else unparsed++;
    });
    ws.on("close", (code, reason) => (closed = `${code} ${String(reason)}`));
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      await expect.poll(() => messages.find((m) => m.message.type === "update" && m.message.baseline.status === "ready"), { timeout: 10_000 }).toBeTruthy();

      const sentAt = Date.now();
      const drift = await ingest({ model: MODEL, version: "v1", batch_id: "drift-0", events: events(10_000, 99, 25, "drift") });
      expect(drift.status).toBe(200);
      const ackAt = Date.now();
      const drifted = () =>
        messages.find((m) => {
          if (m.at < ackAt || m.message.type !== "update") return false;
          const w5 = m.message.windows.find((w) => w.window === "5m");
          return w5?.features.find((f) => f.feature === "age")?.drifted === true;
        });
      await expect.poll(drifted, { timeout: 5_000, interval: 50 }).toBeTruthy().catch((error: Error) => {
        // What the socket showed instead: no updates at all (a stalled alarm, a closed socket) or updates without the drift.
        const after = messages.filter((m) => m.at >= ackAt && m.message.type === "update");
        const last = after.at(-1)?.message;
        const age = last?.type === "update" ? last.windows.find((w) => w.window === "5m")?.features.find((f) => f.feature === "age") : undefined;
        const w5rows = last?.type === "update" ? last.windows.find((w) => w.window === "5m")?.rows : undefined;
        const complaints = stack.output().split("\n").filter((line) => /error|failed|exception/i.test(line)).slice(-20).join("\n");
        throw new Error(`${error.message}: ${after.length} updates after the 2xx, ${unparsed} unparsed, socket closed: ${closed ?? "no"}; last 5m rows ${w5rows}, age ${JSON.stringify(age && { score: age.score, threshold: age.threshold, drifted: age.drifted })}; the stack's last complaints:\n${complaints}`);
      });
      const seen = drifted()!;
      const freshnessMs = seen.at - ackAt;
      console.log(`drift visible ${freshnessMs} ms after the 2xx (${ackAt - sentAt} ms to ingest 10,000 events)`);
      expect(freshnessMs).toBeLessThan(2_500);
      const w5 = seen.message.type === "update" ? seen.message.windows.find((w) => w.window === "5m")! : undefined;
      expect(w5!.rows).toBe(15_000);
      expect(w5!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(["age"]);
      expect(seen.message.type === "update" && seen.message.totals.events).toBe(15_000);
    } finally {
      ws.close();
    }

    const client = new pg.Client({ connectionString: stack.postgresUrl });
    await client.connect();
    try {
      let rows: { window: string; rows: string }[] = [];
      let scores: { feature: string }[] = [];
      const t0 = Date.now();
      // The aggregate row and its feature scores are separate writes: wait for both.
      while (Date.now() - t0 < 15_000) {
        rows = (await client.query(`SELECT "window", rows FROM monitor_aggregates WHERE model = $1 ORDER BY at DESC`, [MODEL])).rows;
        scores = (await client.query(`SELECT DISTINCT feature FROM feature_scores WHERE model = $1 ORDER BY feature`, [MODEL])).rows;
        if (rows.some((r) => Number(r.rows) === 15_000) && scores.length === 3) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(rows.some((r) => r.window === "5m" && Number(r.rows) === 15_000)).toBe(true);
      expect(scores.map((s: { feature: string }) => s.feature)).toEqual(["age", "income", "region"]);
    } finally {
      await client.end();
    }

    // The same aggregates reach Kafka (vigil.aggregates) through the REST proxy.
    const consumer = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `e2e-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: "vigil.aggregates", fromBeginning: true });
      const record = await new Promise<{ key: string; model: string; rows: number[]; errors: string[] }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no aggregate on vigil.aggregates within 20 s")), 20_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            const value = JSON.parse(String(message.value)) as { model: string; windows: { rows: number }[] };
            clearTimeout(timer);
            resolve({ key: String(message.key), model: value.model, rows: value.windows.map((w) => w.rows), errors: recordErrors("vigil.aggregates", value) });
          },
        });
      });
      // The record a consumer receives is valid against the published schema (docs/schemas/).
      expect(record.errors).toEqual([]);
      expect(record.model).toBe(MODEL);
      expect(record.key).toMatch(new RegExp(`:${MODEL}:v1$`));
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);
});
