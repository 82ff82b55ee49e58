// No secret reaches a log. Canary secrets go through every route that takes one (channel
// secrets, Slack URLs, PagerDuty and GitHub tokens, passwords, API keys, login-link and
// instance tokens, in bodies, headers and query strings), first with hostile text next to
// them (which used to reach Postgres and log the failed statement with its parameters),
// then with every statement failing in Postgres after authentication, so the error handler
// logs drizzle errors whose parameters are those secrets. Everything written to the console is captured and searched.
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../app.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const CANARIES = {
  webhookSecret: "whsec_Y2FuYXJ5LXdlYmhvb2stc2VjcmV0LTAwMDE=",
  slackPath: "T0CANARY1/B0CANARY1/CanarySlackHookToken0001",
  pagerDutyKey: "canaryroutingkey0000000000000001",
  githubToken: "ghp_CanaryGithubToken000000000000000001",
  slackToken: "xoxb-000000000001-CanarySlackBotToken",
  password: "Canary-Password-0001!",
  newPassword: "Canary-Password-0002!",
  badApiKey: "vgl_0badc0de_CanaryApiKeySecretPart00000000000000000000001",
  loginToken: "CanaryLoginLinkToken0001",
  instanceToken: "CanaryInstanceAdminToken0001",
};
/** Shapes of secrets whose exact value the test cannot know (password hashes, API keys issued by the routes). */
const SHAPES = [/scrypt\$\d+\$/, /vgl_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}/, /whsec_[A-Za-z0-9+/=]{8,}/, /Bearer\s+(?!\[redacted\])\S+/];

const logs: string[] = [];
const methods = ["log", "info", "warn", "error", "debug"] as const;

function asText(value: unknown): string {
  if (value instanceof Error) return `${value.stack ?? ""}\n${value.message}\n${asText(value.cause)}`;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

let adminKey = "";
/** A signed-in admin's cookie and CSRF token (secrets too). */
let userHeaders: Record<string, string> = {};

beforeAll(async () => {
  for (const m of methods) vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logs.push(args.map(asText).join(" ")));
  await withDb(async (db) => {
    const org = await seedOrg(db);
    adminKey = (await seedKey(db, org.orgId, ["admin"])).key;
    userHeaders = (await seedUser(db, org.orgId, "admin")).headers(true);
  });
});

afterAll(() => vi.restoreAllMocks());

type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

/** The admin key unless `headers` say otherwise (an empty value drops the header). */
function init(method: string, body: unknown, headers: Record<string, string>): RequestInit {
  const all: Record<string, string> = { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers };
  for (const [k, v] of Object.entries(all)) if (v === "") delete all[k];
  return { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}

const viaWorker: Send = (method, path, body, headers = {}) => exports.default.fetch(`http://vigil.test${path}`, init(method, body, headers));

/**
 * The same app on a database where no table can be found (its search_path names a schema
 * that does not exist): API keys still authenticate from the caches they were read into,
 * and every statement fails with its parameters (the secrets) in drizzle's error.
 */
function brokenDatabaseUrl(): string {
  const url = new URL(testEnv.DATABASE_URL!);
  url.searchParams.set("options", "-c search_path=canary_nowhere");
  return url.toString();
}
const brokenDatabase = { ...testEnv, DATABASE_URL: brokenDatabaseUrl(), INSTANCE_ADMIN_TOKEN: "instance-token-for-this-test-0001" };
const withoutDatabase: Send = async (method, path, body, headers = {}) => createApp().request(path, init(method, body, headers), brokenDatabase);

const channelBodies = (name: string) => [
  { name, kind: "webhook", config: { url: "https://receiver.example/hook", secret: CANARIES.webhookSecret } },
  { name, kind: "slack", config: { url: `https://hooks.slack.com/services/${CANARIES.slackPath}` } },
  { name, kind: "pagerduty", config: { routing_key: CANARIES.pagerDutyKey } },
  { name, kind: "retrain", config: { format: "github", repo: "acme/models", token: CANARIES.githubToken } },
  { name, kind: "retrain", config: { format: "webhook", url: "https://receiver.example/retrain", secret: CANARIES.webhookSecret } },
];

/** Every route that takes a secret, with `name` where the route has a text field to make hostile. */
async function sendSecrets(send: Send, name: string): Promise<number[]> {
  const statuses: number[] = [];
  const add = async (p: Promise<Response>) => {
    const res = await p;
    await res.arrayBuffer();
    statuses.push(res.status);
  };
  for (const body of channelBodies(name)) await add(send("POST", "/v1/channels", body));
  await add(send("PATCH", "/v1/channels/00000000-0000-4000-8000-000000000000", { name, config: { url: "https://receiver.example/hook", secret: CANARIES.webhookSecret } }));
  await add(send("POST", "/v1/users", { email: `canary-${Math.random().toString(36).slice(2)}@example.test`, name, password: CANARIES.password, role: "viewer" }));
  await add(send("PUT", "/v1/users/me/password", { current_password: CANARIES.password, new_password: `${CANARIES.newPassword}${name}` }, { ...userHeaders, authorization: "" }));
  await add(send("POST", "/v1/models", { name: "canary-model", prediction_kind: "binary", description: name }, { ...userHeaders, authorization: "" }));
  await add(send("POST", "/v1/sessions", { email: "nobody@example.test", password: CANARIES.password, org: name }, { authorization: "" }));
  await add(send("POST", "/v1/keys", { name, scopes: ["read"] }));
  await add(send("POST", "/v1/keys/00000000-0000-4000-8000-000000000000/rotate", { name }));
  await add(send("POST", "/v1/orgs", { slug: "canary-org", name }, { authorization: `Bearer ${CANARIES.instanceToken}` }));
  await add(send("POST", "/v1/ingest", { model: name, version: "v1", events: [] }, { authorization: `Bearer ${CANARIES.badApiKey}` }));
  await add(send("POST", "/v1/actuals", { model: name, version: "v1", actuals: [] }, { authorization: `Bearer ${CANARIES.slackToken}` }));
  await add(send("GET", `/v1/sessions/link?token=${CANARIES.loginToken}&redirect=false`, undefined, { authorization: "" }));
  await add(send("GET", `/v1/audit?action=${encodeURIComponent(name)}&actor=${CANARIES.webhookSecret}`));
  await add(send("GET", `/parties/model-monitor/m:v1?key=${CANARIES.badApiKey}`, undefined, { authorization: "" }));
  return statuses;
}

function leaks(): string[] {
  const secrets = [...Object.values(CANARIES), adminKey.slice(14), ...Object.values(userHeaders).map((v) => v.replace(/^[^=]*=/, ""))];
  return logs.flatMap((line) => [
    ...secrets.filter((s) => line.includes(s)).map((s) => `${s} in: ${line.slice(0, 300)}`),
    ...SHAPES.filter((re) => re.test(line)).map((re) => `${re} in: ${line.slice(0, 300)}`),
  ]);
}

describe("canary secrets never reach a log", () => {
  it("with hostile text next to them (which used to fail in Postgres and log the statement's parameters)", async () => {
    const statuses = await sendSecrets(viaWorker, "canary\u0000name");
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(leaks()).toEqual([]);
  });

  it("with every statement failing in Postgres, so the error handler logs failed statements that carried them", async () => {
    // Read the admin key once while Postgres is up, so the isolate and Redis caches know it.
    expect((await viaWorker("GET", "/v1/keys")).status).toBe(200);
    const before = logs.length;
    const statuses = await sendSecrets(withoutDatabase, "canary name");
    expect(statuses.some((s) => s >= 500), `statuses: ${statuses.join(", ")}`).toBe(true);
    // The failures were logged (so the search below searched something)…
    expect(logs.slice(before).some((l) => l.includes("unhandled error on POST /v1/channels"))).toBe(true);
    // …and not one log line holds a secret.
    expect(leaks()).toEqual([]);
  });
});
