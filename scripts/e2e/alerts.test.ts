// End-to-end: the running stack delivers to real local HTTP receivers. The webhook's
// signature is checked with the exact code docs/webhooks.md tells receivers to use.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pagerDutyEvent, slackMessage, teamsMessage } from "../../workers/channels/vendor-contracts.ts";
import { startReceiver, type Receiver } from "./receiver.ts";
import { launchStack, type Stack } from "../testing/stack.ts";
import { startContractProxy, type ContractProxy } from "./contract-proxy.ts";

type Verify = (secret: string, rawBody: string, header: string | undefined, idempotencyKey: string | undefined, opts?: { toleranceSeconds?: number; now?: number }) => boolean;

/** The first ```js block after the verify-snippet marker in docs/webhooks.md, loaded as a module. */
async function documentedVerifier(): Promise<Verify> {
  const doc = readFileSync(fileURLToPath(new URL("../../docs/webhooks.md", import.meta.url)), "utf8");
  const after = doc.slice(doc.indexOf("<!-- verify-snippet"));
  const code = /```js\n([\s\S]*?)```/.exec(after)?.[1];
  if (!code) throw new Error("docs/webhooks.md has no verify snippet");
  const file = join(mkdtempSync(join(tmpdir(), "vigil-snippet-")), "verify.mjs");
  writeFileSync(file, code);
  return ((await import(pathToFileURL(file).href)) as { verifyVigilSignature: Verify }).verifyVigilSignature;
}

let stack: Stack;
/** Prism in front of the stack: every API call below is checked against /openapi.json. */
let contract: ContractProxy;
let receiver: Receiver;
let verify: Verify;

async function api(method: string, path: string, body?: unknown) {
  const res = await contract.fetch(path, {
    method,
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
}

beforeAll(async () => {
  [receiver, verify] = await Promise.all([startReceiver(), documentedVerifier()]);
  stack = await launchStack();
  contract = await startContractProxy(stack.base);
}, 180_000);

afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

afterAll(async () => {
  await contract?.close();
  await stack?.stop();
  await receiver?.close();
});

describe("alert channels against a running stack", () => {
  it("delivers a signed test webhook that the documented recipe verifies", async () => {
    const created = await api("POST", "/v1/channels", { name: "local receiver", kind: "webhook", config: { url: `${receiver.url}/hook` } });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    const t0 = Date.now();
    const sent = await api("POST", `/v1/channels/${created.body.id}/test`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, status: "delivered", status_code: 200 });
    const got = receiver.requests.filter((r) => r.path === "/hook");
    expect(got).toHaveLength(1);
    expect(got[0]!.at - t0).toBeLessThan(5_000);
    const header = got[0]!.headers["vigil-signature"] as string;
    const key = got[0]!.headers["idempotency-key"] as string;
    expect(key).toBe(sent.body.delivery_id);
    expect(verify(secret, got[0]!.body, header, key)).toBe(true);
    // The recipe fails closed on tampering, another secret, a stale or future timestamp,
    // and a replay under a fresh Idempotency-Key.
    expect(verify(secret, got[0]!.body.replace('"test"', '"tset"'), header, key)).toBe(false);
    expect(verify("whsec_wrong", got[0]!.body, header, key)).toBe(false);
    expect(verify(secret, got[0]!.body, header, key, { now: Date.now() + 600_000 })).toBe(false);
    expect(verify(secret, got[0]!.body, header, key, { now: Date.now() - 600_000 })).toBe(false);
    expect(verify(secret, got[0]!.body, header, crypto.randomUUID())).toBe(false);
    expect(verify(secret, got[0]!.body, header, undefined)).toBe(false);
  });

  it("sends Slack, PagerDuty and Teams payloads that satisfy each vendor's documented contract", async () => {
    const kinds = [
      { kind: "slack", config: { url: `${receiver.url}/slack` }, path: "/slack", schema: slackMessage },
      { kind: "pagerduty", config: { routing_key: "R0UT1NGKEY00000000000000000000AB", url: `${receiver.url}/pagerduty` }, path: "/pagerduty", schema: pagerDutyEvent },
      { kind: "teams", config: { url: `${receiver.url}/teams` }, path: "/teams", schema: teamsMessage },
    ] as const;
    for (const k of kinds) {
      const created = await api("POST", "/v1/channels", { name: k.kind, kind: k.kind, config: k.config });
      expect(created.status).toBe(201);
      const sent = await api("POST", `/v1/channels/${created.body.id}/test`);
      expect(sent.body).toMatchObject({ ok: true, status: "delivered" });
      const req = receiver.requests.find((r) => r.path === k.path);
      expect(req?.headers["content-type"]).toBe("application/json");
      const parsed = k.schema.safeParse(JSON.parse(req!.body));
      expect(parsed.error).toBeUndefined();
    }
  });

  it("retries a receiver that fails 3 times until exactly one delivery succeeds, with one idempotency key", async () => {
    receiver.script("/flaky", [500, 502, 503, 200]);
    const created = await api("POST", "/v1/channels", { name: "flaky", kind: "webhook", config: { url: `${receiver.url}/flaky` } });
    const first = await api("POST", `/v1/channels/${created.body.id}/test`);
    expect(first.body).toMatchObject({ ok: false, status: "pending", status_code: 500 });
    // Backoff waits are uniform in [0,10 s], [0,20 s], [0,40 s]: at most 70 s in all.
    await receiver.waitFor((rs) => rs.filter((r) => r.path === "/flaky").length >= 4, 100_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const flaky = receiver.requests.filter((r) => r.path === "/flaky");
    expect(flaky).toHaveLength(4);
    expect(new Set(flaky.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([first.body.delivery_id]));
    expect(flaky.every((r) => verify(created.body.secret, r.body, r.headers["vigil-signature"] as string, r.headers["idempotency-key"] as string))).toBe(true);
  }, 120_000);

  it("refuses metadata addresses even in local development, naming the field", async () => {
    const res = await api("POST", "/v1/channels", { name: "x", kind: "webhook", config: { url: "http://169.254.169.254/latest/meta-data" } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe("config.url");
  });
});
