// "Works in Cloudflare Workers" (issue 20): @vigil/client's source runs inside workerd,
// the runtime a Worker sender has (CompressionStream gzip, timers, crypto.randomUUID), and
// sends to the real Vigil Worker. A reply lost after Vigil stored the batch (the sender
// sees a 503 and retries the same batch_id) must be counted once.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { Vigil } from "../../clients/typescript/src/index.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { monitorStub } from "./monitor-stub.ts";

const MODEL = "sdk-workerd";
const VERSION = "v1";
let orgId = "";
let key = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest"])).key;
    await registerModelVersionFromIngest(db, {
      orgId, model: MODEL, version: VERSION, predictionKind: "binary",
      featureSchema: [{ name: "x", kind: "numerical", dtype: "float" }, { name: "region", kind: "categorical", dtype: "string" }],
    });
  });
});

it("batches, gzips and retries inside workerd, and a lost reply is counted once", async () => {
  const sent: { encoding: string | null; batchId: string }[] = [];
  let lose = 1;
  const vigil = new Vigil({
    url: "http://vigil.test",
    apiKey: key,
    batchSize: 250,
    backoff: { baseMs: 5, maxMs: 20 },
    flushOnExit: false,
    // The Worker's own fetch handler stands in for the network; the first reply is lost after
    // Vigil stored the batch, as a cut connection would lose it.
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = await request.clone().arrayBuffer();
      const text = await new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
      sent.push({ encoding: request.headers.get("content-encoding"), batchId: (JSON.parse(text) as { batch_id: string }).batch_id });
      const reply = await exports.default.fetch(request);
      if (lose > 0) {
        lose--;
        await reply.body?.cancel();
        return new Response("lost", { status: 503 });
      }
      return reply;
    },
  });
  for (let i = 0; i < 1000; i++) {
    await vigil.log({ model: MODEL, version: VERSION, predictionId: `w-${i}`, features: { x: i / 10, region: i % 2 ? "eu" : "us" }, prediction: i % 2, score: 0.5 });
  }
  await vigil.flush();
  await vigil.close();

  expect(vigil.stats()).toMatchObject({ delivered: 1000, duplicateBatches: 1, failed: 0, rejected: 0 });
  expect(sent.every((s) => s.encoding === "gzip")).toBe(true);
  // Five requests for four batches (sent two at a time): the retry carries the lost batch's id.
  expect(sent).toHaveLength(5);
  const sends = new Map<string, number>();
  for (const { batchId } of sent) sends.set(batchId, (sends.get(batchId) ?? 0) + 1);
  expect([...sends.values()].sort()).toEqual([1, 1, 1, 2]);

  const stub = monitorStub(testEnv, orgId, MODEL, VERSION);
  await runDurableObjectAlarm(stub);
  expect((await stub.stats()).totals.events).toBe(1000);
});
