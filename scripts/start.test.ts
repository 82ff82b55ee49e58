// End-to-end: the README's `npm start`, as a newcomer runs it, against a fresh data folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
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

async function launch(env: Record<string, string> = {}): Promise<Launch> {
  const port = await freePort();
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

function embeddedUrl(l: Launch): string {
  const m = /Postgres\s+postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:(\d+)\/postgres/.exec(l.output());
  if (!m) throw new Error(`no embedded Postgres URL printed:\n${l.output()}`);
  return `postgres://postgres:postgres@127.0.0.1:${m[1]}/postgres`;
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
    await interrupt(first);

    const second = await launch();
    expect(second.adminKey).not.toBe(first.adminKey);
    const url2 = embeddedUrl(second);
    expect(await query(url2, "select slug from projects where slug = 'survives-restart'")).toEqual([{ slug: "survives-restart" }]);
    // The previous bootstrap key was revoked when the new one was issued; both are in the audit log.
    const keys = await query<{ prefix: string; revoked: boolean }>(url2, "select prefix, revoked_at is not null as revoked from api_keys order by created_at");
    expect(keys.map((k) => k.revoked)).toEqual([true, false]);
    expect(keys[1]!.prefix).toBe(second.adminKey.slice(0, 12));
    const actions = await query<{ action: string }>(url2, "select action from audit_log order by id");
    expect(actions.map((a) => a.action)).toEqual([
      ...["org.create", "api_key.create", "user.create", "membership.create", "login_link.create"],
      ...["api_key.revoke", "api_key.create", "login_link.create"],
    ]);
    await interrupt(second);
  }, 240_000);

  it("uses the real Postgres named by DATABASE_URL and the Redis named by REDIS_URL", async () => {
    const admin = "postgres://postgres@127.0.0.1:5432/test";
    const db = `vigil_start_${process.pid}`;
    try {
      await query(admin, `create database ${db}`);
    } catch (err) {
      // Without a local server there is nothing to point at; the embedded path is covered above.
      if ((err as NodeJS.ErrnoException).code === "ECONNREFUSED") return;
      throw err;
    }
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
});
