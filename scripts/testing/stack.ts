// Launches `npm start` (scripts/start.ts) on a free port with a fresh data folder, for
// end-to-end tests and benchmarks, and reads what it prints: the API base URL, the
// admin key and the embedded Postgres URL.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup, type Managed } from "../lib/processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Stack {
  base: string;
  adminKey: string;
  /** Embedded Postgres, password filled in (PGlite accepts any). */
  postgresUrl: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function launchStack(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Stack> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-stack-"));
  const managed: Managed = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), VIGIL_DATA_DIR: dataDir, ...env },
  });
  let out = "";
  managed.child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  managed.child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const t0 = Date.now();
  while (!out.includes("Vigil is running.")) {
    if (managed.child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() - t0 > timeoutMs) {
      await stopGroup(managed);
      throw new Error(`not running within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const adminKey = /^\s+(vgl_[0-9a-f]{8}_\S+)$/m.exec(out)?.[1];
  const pgPort = /Postgres\s+postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:(\d+)\/postgres/.exec(out)?.[1];
  if (!adminKey) throw new Error(`no admin key printed:\n${out}`);
  return {
    base: `http://127.0.0.1:${port}`,
    adminKey,
    postgresUrl: pgPort ? `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` : (env.DATABASE_URL ?? ""),
    dataDir,
    output: () => out,
    stop: () => stopGroup(managed, 15_000),
  };
}
