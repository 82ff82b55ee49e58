// End-to-end: the README's `npm start`, as a newcomer runs it, against a fresh data folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY_FILE, WORKER_SECRETS_FILE, readWorkerSecret } from "./lib/local-secrets.ts";
import { freePort } from "./lib/ports.ts";
import { spawnGroup, stopGroup, type Managed } from "./lib/processes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "vigil-start-"));
const started: Managed[] = [];
const systemPath = (process.env.PATH ?? "").split(":").filter((p) => !p.includes("node_modules")).join(":");

interface Launch {
  managed: Managed;
  output: () => string;
  base: string;
  adminKey: string;
}

async function launch(env: Record<string, string> = {}, port?: number): Promise<Launch> {
  port ??= await freePort();
  const managed = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // Without the project's bin folder on PATH, as when the launcher is run directly: it
    // must still start wrangler on Node 22 rather than an older system Node.
    env: { ...process.env, PATH: systemPath, PORT: String(port), VIGIL_DATA_DIR: dataDir, ...env },
  });
  started.push(managed);
  let out = "";
  managed.child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  managed.child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const t0 = Date.now();
  while (!out.includes("Vigil is running.")) {
    if (managed.child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() - t0 > 90_000) throw new Error(`not running within 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const adminKey = /^\s+(vgl_[0-9a-f]{8}_\S+)$/m.exec(out)?.[1];
  if (!adminKey) throw new Error(`no admin key printed:\n${out}`);
  return { managed, output: () => out, base: `http://127.0.0.1:${port}`, adminKey };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ctrl-C as a terminal sends it: SIGINT to the launcher's process group. */
async function interrupt(l: Launch) {
  const pid = l.managed.child.pid!;
  process.kill(-pid, "SIGINT");
  const code = await Promise.race([l.managed.exited, new Promise((r) => setTimeout(() => r("timeout"), 20_000))]);
  expect(code).toBe(0);
  // The launcher stops its children's groups before exiting; give the kernel a moment to reap.
  await new Promise((r) => setTimeout(r, 500));
  const leftovers = execFileSync("ps", ["-eo", "pid,args"]).toString().split("\n").filter((line) => line.includes(dataDir));
  expect(leftovers).toEqual([]);
  expect(groupAlive(pid)).toBe(false);
}

/** The embedded Postgres with this start's password, which only the 0600 secrets file holds. */
function embeddedUrl(l: Launch): string {
  const m = /Postgres\s+postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:(\d+)\/postgres/.exec(l.output());
  if (!m) throw new Error(`no embedded Postgres URL printed:\n${l.output()}`);
  const url = readWorkerSecret(dataDir, "DATABASE_URL");
  if (!url) throw new Error(`no DATABASE_URL in ${WORKER_SECRETS_FILE}`);
  expect(new URL(url).port).toBe(m[1]);
  return url;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every running process's full command line. */
const allCommandLines = () => execFileSync("ps", ["-eww", "-o", "args="]).toString();

/** The HTTP status that refused a WebSocket upgrade, or "open". */
function upgrade(url: string, headers: Record<string, string>): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.terminate();
      resolve("open");
    });
    ws.on("unexpected-response", (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.on("error", reject);
  });
}

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const m of started) await stopGroup(m);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves health with embedded Postgres, keeps data across a restart, and stops cleanly on Ctrl-C", async () => {
    const first = await launch();
    const res = await fetch(`${first.base}/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", postgres: "ok", redis: "disabled", kafka: "disabled" });
    expect((await fetch(`${first.base}/`)).headers.get("content-type")).toMatch(/text\/html/);

    const url = embeddedUrl(first);
    const [org] = await query<{ id: string }>(url, "select id from orgs where slug = 'local'");
    await query(url, "insert into projects (org_id, slug, name) values ($1, 'survives-restart', 'Survives restart')", [org!.id]);

    // The embedded Postgres takes only this start's random password.
    const password = decodeURIComponent(new URL(url).password);
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    const guessed = new URL(url);
    guessed.password = "postgres";
    await expect(query(guessed.toString(), "select 1")).rejects.toMatchObject({ code: "28P01" });
    // The relay refuses a browser's handshake (it always has an Origin); the Worker's
    // Neon driver, which sends none, got through it for the queries behind /v1/health.
    const relay = /neon relay listening on (ws:\/\/\S+)/.exec(first.output())?.[1];
    expect(relay).toBeDefined();
    expect(await upgrade(relay!, { origin: "https://evil.example" })).toBe(403);

    // No secret on any command line (wrangler, workerd, esbuild, the embedded Postgres…):
    // they reach wrangler through a 0600 file in the owner-only data folder.
    const instanceToken = /Instance admin token[^\n]*\n\s+(\S+)/.exec(first.output())?.[1];
    expect(instanceToken).toMatch(/^[\w-]{43}$/);
    const commandLines = allCommandLines();
    expect(commandLines).toContain(join(dataDir, WORKER_SECRETS_FILE)); // wrangler's --env-file: the check sees wrangler
    for (const secret of [password, instanceToken!, first.adminKey]) expect(commandLines).not.toContain(secret);
    expect(readWorkerSecret(dataDir, "INSTANCE_ADMIN_TOKEN")).toBe(instanceToken);
    expect(first.output()).not.toContain(password); // wrangler lists the bindings as hidden
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, WORKER_SECRETS_FILE))).toBe(0o600);
    // The admin key is where `npm run demo` looks for it.
    expect(readFileSync(join(dataDir, ADMIN_KEY_FILE), "utf8").trim()).toBe(first.adminKey);
    expect(modeOf(join(dataDir, ADMIN_KEY_FILE))).toBe(0o600);
    await interrupt(first);
    expect(existsSync(join(dataDir, WORKER_SECRETS_FILE))).toBe(false);

    const second = await launch();
    expect(second.adminKey).not.toBe(first.adminKey);
    expect(readFileSync(join(dataDir, ADMIN_KEY_FILE), "utf8").trim()).toBe(second.adminKey);
    const url2 = embeddedUrl(second);
    expect(new URL(url2).password).not.toBe(password);
    expect(await query(url2, "select slug from projects where slug = 'survives-restart'")).toEqual([{ slug: "survives-restart" }]);
    // The previous bootstrap key was revoked when the new one was issued; both are in the audit log.
    const keys = await query<{ prefix: string; revoked: boolean }>(url2, "select prefix, revoked_at is not null as revoked from api_keys order by created_at");
    expect(keys.map((k) => k.revoked)).toEqual([true, false]);
    expect(keys[1]!.prefix).toBe(second.adminKey.slice(0, 12));
    // Each start also fires the retention job, which audits its run (retention.run) whenever it
    // finishes; that is the retention tests' subject, so it is left out of the order checked here.
    const actions = (await query<{ action: string }>(url2, "select action from audit_log order by id")).filter((a) => a.action !== "retention.run");
    expect(actions.map((a) => a.action)).toEqual([
      ...["org.create", "api_key.create", "user.create", "membership.create", "login_link.create"],
      ...["api_key.revoke", "api_key.create", "login_link.create"],
    ]);
    await interrupt(second);
  }, 240_000);

  it("uses the real Postgres named by DATABASE_URL and the Redis named by REDIS_URL", async () => {
    const admin = "postgres://postgres@127.0.0.1:5432/test";
    const db = `vigil_start_${process.pid}`;
    // Needs the Postgres at 127.0.0.1:5432 the test setup provides; without it this fails
    // (ECONNREFUSED) rather than passing without having run.
    await query(admin, `create database ${db}`);
    try {
      const l = await launch({ DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, REDIS_URL: "redis://127.0.0.1:6379" });
      expect(l.output()).toContain("using Postgres from DATABASE_URL");
      const res = await fetch(`${l.base}/v1/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", postgres: "ok", redis: "ok", kafka: "disabled" });
      expect(await query(`postgres://postgres@127.0.0.1:5432/${db}`, "select slug from orgs")).toEqual([{ slug: "local" }]);
      await interrupt(l);
    } finally {
      await query(admin, `drop database if exists ${db} with (force)`);
    }
  }, 180_000);

  it("refuses to start on a taken port instead of reporting another server's health as its own", async () => {
    // Something on the port that answers /v1/health like a running Vigil would.
    const occupant = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'));
    const port = await new Promise<number>((resolve) => occupant.listen(0, "127.0.0.1", () => resolve((occupant.address() as { port: number }).port)));
    try {
      const attempt = launch({}, port);
      await expect(attempt).rejects.toThrow(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      const failed = started.at(-1)!;
      expect(await failed.exited).toBe(1);
    } finally {
      occupant.close();
    }
  }, 60_000);
});
