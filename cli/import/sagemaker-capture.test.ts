// `vigil import sagemaker-capture` on AWS's own Data Capture examples (fixtures/README.md
// cites them): the mapping, and the command against a local server that keeps Vigil's
// batch-id contract (a re-run stores nothing twice). Against a running Vigil:
// clients/senders.e2e.test.ts.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultServer, type FaultServer } from "../../clients/typescript/testing/fault-server.ts";
import { main } from "../cli.ts";
import { captureEvents, groundTruthActuals } from "./capture-records.ts";
import { endpointOfPath } from "./sagemaker-command.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const lines = (name: string) => readFileSync(fixture(name), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);

describe("capture records", () => {
  it("CSV capture (AWS docs' examples): one event, eventId as prediction id, inferenceTime as timestamp, empty cells missing", () => {
    const [pre, view] = lines("capture-csv.jsonl");
    const [event] = captureEvents(pre, [], "capture-csv.jsonl:1");
    expect(event).toMatchObject({ prediction_id: "feca1ab1-8025-47e3-8f6a-99e3fdd7b8d9", timestamp: "2019-11-20T23:33:12Z", prediction: 0.01076381653547287 });
    expect(Object.keys(event!.features)).toHaveLength(19);
    expect(event!.features).toMatchObject({ f0: 132, f2: 113.2, f6: null, f18: 1 });
    const [second] = captureEvents(view, ["account_length", "vmail"], "capture-csv.jsonl:2");
    expect(Object.keys(second!.features)).toHaveLength(69);
    expect(second!.features).toMatchObject({ account_length: 69, vmail: 0, f2: 153.7 });
  });

  it("BASE64 and JSON encodings; inferenceId wins over eventId; several instances get <id>:<row>", () => {
    const [b64, json] = lines("capture-derived.jsonl");
    const [event] = captureEvents(b64, [], "d:1");
    expect(event).toMatchObject({ prediction_id: "order-7731", prediction: 0.01076381653547287 });
    expect(event!.features).toEqual(captureEvents(lines("capture-csv.jsonl")[0], [], "c:1")[0]!.features);
    expect(captureEvents(json, [], "d:2")).toEqual([
      { prediction_id: "4c0e2a52-6f8e-4d0b-9c55-0f3f2b8a9e10:0", timestamp: "2019-11-20T23:33:14Z", features: { age: 41, region: "north" }, prediction: 1, score: 0.85 },
      { prediction_id: "4c0e2a52-6f8e-4d0b-9c55-0f3f2b8a9e10:1", timestamp: "2019-11-20T23:33:14Z", features: { age: 29, region: "east" }, prediction: 0, score: 0.12 },
    ]);
  });

  it("ground truth (documented structure) becomes actuals by eventId", () => {
    expect(lines("ground-truth.jsonl").flatMap((l, i) => groundTruthActuals(l, `g:${i + 1}`))).toEqual([
      { prediction_id: "feca1ab1-8025-47e3-8f6a-99e3fdd7b8d9", actual: 1 },
      { prediction_id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", actual: 0 },
    ]);
  });

  it("names file, line and field when a record is not what Data Capture writes", () => {
    expect(() => captureEvents({ eventMetadata: { eventId: "x" } }, [], "f.jsonl:3")).toThrow("f.jsonl:3: not a Data Capture record (no captureData)");
    const onlyInput = { captureData: { endpointInput: { data: "1,2", encoding: "CSV" } }, eventMetadata: { eventId: "x" } };
    expect(() => captureEvents(onlyInput, [], "f.jsonl:4")).toThrow("f.jsonl:4.captureData: needs both endpointInput and endpointOutput (capture mode Input and Output)");
    const image = { captureData: { endpointInput: { observedContentType: "image/jpeg", data: "AAAA", encoding: "BASE64" }, endpointOutput: { data: "1", encoding: "CSV" } }, eventMetadata: { eventId: "x" } };
    expect(() => captureEvents(image, [], "f.jsonl:5")).toThrow('f.jsonl:5.captureData.endpointInput.observedContentType: "image/jpeg" is neither CSV nor JSON; only tabular captures can be imported');
  });

  it("reads endpoint and variant from a Data Capture path", () => {
    expect(endpointOfPath("/s3/bucket/prefix/churn-endpoint/AllTraffic/2022/02/14/17/f.jsonl")).toEqual({ model: "churn-endpoint", version: "AllTraffic" });
    expect(endpointOfPath("/tmp/f.jsonl")).toBeNull();
  });
});

describe("vigil import sagemaker-capture", () => {
  let server: FaultServer;
  let dir: string;
  beforeAll(async () => {
    server = await startFaultServer();
    dir = mkdtempSync(join(tmpdir(), "vigil-sm-"));
    const hourDir = join(dir, "churn", "AllTraffic", "2022", "02", "14", "17");
    mkdirSync(hourDir, { recursive: true });
    cpSync(fixture("capture-csv.jsonl"), join(hourDir, "a.jsonl"));
    cpSync(fixture("capture-derived.jsonl"), join(hourDir, "b.jsonl"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it("sends a capture folder with stable batch ids, then ground truth; a re-run stores nothing twice", async () => {
    server.script({ status: 503 });
    const args = ["import", "sagemaker-capture", dir, "--ground-truth", fixture("ground-truth.jsonl"), "--model", "churn", "--version", "AllTraffic", "--url", server.url, "--key", "vgl_test", "--batch-size", "2"];
    const first = await run(args);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe("4 capture records in 2 files: 5 events, 5 stored, 0 batches already imported, 0 rejected\n2 ground-truth labels in 1 files: 2 matched, 0 unmatched, 0 already labeled\n");
    const ingests = server.requests.filter((r) => r.path === "/v1/ingest");
    expect(ingests[0]!.body).toMatchObject({ model: "churn", version: "AllTraffic", batch_id: expect.stringMatching(/^sagemaker:[0-9a-f]{40}$/) });
    expect(ingests[1]!.body.batch_id).toBe(ingests[0]!.body.batch_id);
    expect(server.counted()).toBe(5 + 2);
    const again = await run(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^4 capture records in 2 files: 5 events, 0 stored, 2 batches already imported, 0 rejected\n2 ground-truth labels in 1 files: 2 matched, 0 unmatched, 0 already labeled\n$/);
  });

  it("takes model and version from a Data Capture path", async () => {
    const before = server.requests.length;
    const out = await run(["import", "sagemaker-capture", join(dir, "churn"), "--url", server.url, "--key", "vgl_test"]);
    expect(out.code).toBe(0);
    expect(server.requests.slice(before).map((r) => [r.body.model, r.body.version])).toEqual([["churn", "AllTraffic"], ["churn", "AllTraffic"]]);
  });

  it("stops at a bad line naming file and line, and at a refused batch with Vigil's message (exit 2)", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${readFileSync(fixture("capture-csv.jsonl"), "utf8")}{"captureData": \n`);
    const out = await run(["import", "sagemaker-capture", bad, "--model", "m", "--version", "v", "--url", server.url, "--key", "k"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^vigil: bad\.jsonl:3: not valid JSON/);
    server.script({ status: 401, code: "unauthorized" });
    const refused = await run(["import", "sagemaker-capture", fixture("capture-csv.jsonl"), "--model", "m", "--version", "v", "--url", server.url, "--key", "k"]);
    expect(refused).toMatchObject({ code: 2, stderr: "vigil: Vigil refused a batch of capture-csv.jsonl: 401 unauthorized: scripted 401\n" });
    const noModel = await run(["import", "sagemaker-capture", fixture("capture-csv.jsonl"), "--url", server.url, "--key", "k"]);
    expect(noModel.stderr).toMatch(/give --model and --version/);
  });
});
