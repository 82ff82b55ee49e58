import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Spawns a child in its own process group (like setsid), so a terminal Ctrl-C reaches
 * only the launcher, which then stops children in order, and so stopping a child
 * stops everything it spawned too (wrangler runs workerd and esbuild under it).
 */
export function spawnGroup(name: string, command: string, args: string[], options: SpawnOptions = {}): Managed {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ? null : code)));
  child.once("error", (err) => console.error(`${name}: ${err.message}`));
  return { name, child, exited };
}

/** SIGTERM to the whole group, then SIGKILL if it has not exited within the grace period. */
export async function stopGroup(managed: Managed, graceMs = 5_000): Promise<void> {
  const pid = managed.child.pid;
  if (pid === undefined || managed.child.exitCode !== null || managed.child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
  await managed.exited;
  clearTimeout(timer);
  // Anything the leader left behind in its group goes too.
  signalGroup("SIGKILL");
}

/** Resolves with the first stdout line matching `pattern`, or rejects when the child exits first. */
export function waitForLine(managed: Managed, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`${managed.name} did not become ready within ${timeoutMs} ms`)), timeoutMs);
    const onData = (data: Buffer) => {
      buffered += data.toString();
      const match = buffered.match(pattern);
      if (match) {
        clearTimeout(timer);
        managed.child.stdout?.off("data", onData);
        resolve(match);
      }
    };
    managed.child.stdout?.on("data", onData);
    managed.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${managed.name} exited (${code}) before it was ready`));
    });
  });
}
