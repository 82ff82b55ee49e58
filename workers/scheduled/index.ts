// The Worker's cron triggers ([triggers] crons in wrangler.toml, per environment): each
// schedule names the jobs it runs. A job's failure is logged and rethrown after the other
// jobs ran, so Cloudflare records the invocation as failed.
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { logError } from "../security/log-safe.ts";
import { publishAuditAnchors } from "./audit-anchors.ts";

export const HOURLY = "0 * * * *";

type Job = (env: Bindings, now: Date) => Promise<void>;

const auditAnchorsJob: Job = async (env, now) => {
  if (!env.DATABASE_URL) return;
  await publishAuditAnchors(env, openDatabase(env.DATABASE_URL, env.NEON_WS_PROXY), now);
};

export const JOBS: Record<string, Job[]> = {
  [HOURLY]: [auditAnchorsJob],
};

export async function runScheduled(cron: string, env: Bindings, now: Date): Promise<void> {
  const jobs = JOBS[cron] ?? [];
  const results = await Promise.allSettled(jobs.map((job) => job(env, now)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  for (const f of failed) logError(`scheduled job (${cron}) failed`, f.reason);
  if (failed.length > 0) throw new Error(`${failed.length} of ${jobs.length} scheduled jobs failed for ${cron}`);
}
