// Where erasure runs: in the background of the request that asked for it (waitUntil),
// and again from every later trigger (a request to /v1/erasure, the scheduled job) for
// any request left unfinished by a restart or an outage. It opens its own database,
// because the request's pool is closed once the response is out.
import type { Context } from "hono";
import type { ErasureCall, ErasureResult } from "../../durable/monitor/erasure.ts";
import { openDatabase, type Database } from "../db/client.ts";
import type { AppEnv, Bindings } from "../env.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { logError } from "../security/log-safe.ts";
import { processErasure, type ErasureDeps } from "./process.ts";
import { resumable } from "./requests.ts";

export function erasureDeps(env: Bindings, db: () => Database): ErasureDeps {
  return {
    db,
    monitor: (orgId, model, version) => {
      const stub = monitorStub(env, orgId, model, version);
      return {
        erase: (call: ErasureCall) => stub.erase(call) as Promise<ErasureResult>,
        closeErasure: (requestId: string) => stub.closeErasure(requestId),
      };
    },
    generator: `vigil ${env.VIGIL_VERSION}`,
  };
}

/** Processes the unfinished requests (of one org, or of every org) that nobody holds. */
export async function runErasures(env: Bindings, orgId?: string, deps?: ErasureDeps): Promise<void> {
  if (!env.DATABASE_URL) return;
  let opened: Database | undefined;
  const db = () => (opened ??= openDatabase(env.DATABASE_URL!, env.NEON_WS_PROXY));
  try {
    const run = deps ?? erasureDeps(env, db);
    for (const id of await resumable(run.db(), orgId)) await processErasure(run, id);
  } catch (error) {
    logError("erasure run failed; unfinished requests resume on the next trigger", error);
  } finally {
    await opened?.$client.end().catch(() => undefined);
  }
}

/** Starts runErasures after the response (or, without an execution context, right away). */
export function scheduleErasures(c: Context<AppEnv>, orgId: string): void {
  const work = runErasures(c.env, orgId);
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // app.request in tests has no execution context; the promise still runs to its end.
  }
}
