// Starts `npm start` (scripts/start.ts) on a free port with a fresh data folder, the way
// scripts/start.test.ts does, and hands back its URL and admin key.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../lib/ports.ts";
import { spawnGroup, stopGroup, type Managed } from "../lib/processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Stack {
  base: string;
  adminKey: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-e2e-"));
  const port = await freePort();
  const managed: Managed = spawnGroup("npm start", process.execPath, [join(root, "scripts/start.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), VIGIL_DATA_DIR: dataDir, ...env },
  });
  let out = "";
  managed.child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  managed.child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    await stopGroup(managed, 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const t0 = Date.now();
  while (!out.includes("Vigil is running.")) {
    if (managed.child.exitCode !== null || Date.now() - t0 > 120_000) {
      await stop();
      throw new Error(`npm start did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const adminKey = /^\s+(vgl_[0-9a-f]{8}_\S+)$/m.exec(out)?.[1];
  if (!adminKey) {
    await stop();
    throw new Error(`no admin key printed:\n${out}`);
  }
  return { base: `http://127.0.0.1:${port}`, adminKey, output: () => out, stop };
}
