// Launches `npm start` (scripts/start.ts) on a free port with a fresh data folder, for
// end-to-end and browser tests, reliability scripts and benchmarks, and reads what it
// prints: the API base URL, the admin key and the embedded Postgres URL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readWorkerSecret } from "../lib/local-secrets.ts";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup, type Managed } from "../lib/processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Stack {
  base: string;
  adminKey: string;
  /** The stack's Postgres, with this start's password (read from the data folder's 0600 secrets file). */
  postgresUrl: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the stack and waits until it prints that it is running. A data folder it made
 * itself is removed on stop; one passed as VIGIL_DATA_DIR (a restart test reusing its
 * state) is the caller's and is kept. A stack that fails to come up is stopped.
 */
export async function launchStack(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Stack> {
  // Two starts at once (test files run in parallel) can be handed the same free port; the
  // one that loses finds another server answering there and says so (scripts/start.ts):
  // start again on a new port rather than fail the test.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(env, timeoutMs);
    } catch (err) {
      if (attempt >= 3 || !(err as Error).message.includes("another server answers on")) throw err;
    }
  }
}

async function launchOnce(env: Record<string, string>, timeoutMs: number): Promise<Stack> {
  const port = await freePort();
  const ownDataDir = env.VIGIL_DATA_DIR === undefined;
  const dataDir = env.VIGIL_DATA_DIR ?? mkdtempSync(join(tmpdir(), "vigil-stack-"));
  const managed: Managed = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), ...env, VIGIL_DATA_DIR: dataDir },
  });
  let out = "";
  managed.child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  managed.child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    await stopGroup(managed, 15_000);
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new Error(`${why}:\n${out}`);
  };
  const t0 = Date.now();
  while (!out.includes("Vigil is running.")) {
    if (managed.child.exitCode !== null) await fail("npm start exited early");
    if (Date.now() - t0 > timeoutMs) await fail(`not running within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const adminKey = /^\s+(vgl_[0-9a-f]{8}_\S+)$/m.exec(out)?.[1] ?? (await fail("no admin key printed"));
  return {
    base: `http://127.0.0.1:${port}`,
    adminKey,
    postgresUrl: readWorkerSecret(dataDir, "DATABASE_URL") ?? (await fail("no DATABASE_URL in the data folder's secrets file")),
    dataDir,
    output: () => out,
    stop,
  };
}

/** One call to the stack's API with its admin key; the reply's status and parsed JSON body (undefined when empty). */
export async function adminCall(stack: Stack, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
