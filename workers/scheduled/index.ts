// The Worker's cron triggers ([triggers] crons in wrangler.toml, per environment): each
// schedule names the jobs it runs. A job's failure is logged and rethrown after the other
// jobs ran, so Cloudflare records the invocation as failed.
import { openDatabase } from "../db/client.ts";
import type { Bindings } from "../env.ts";
import { logError } from "../security/log-safe.ts";
import { runRetentionForAll } from "../retention/schedule.ts";
import { runDueSchedules } from "../reports/schedules/run.ts";
import { publishAuditAnchors } from "./audit-anchors.ts";

export const HOURLY = "0 * * * *";
/** Retention (workers/retention/): every org's stores pruned to its policy, once a day. */
export const DAILY = "0 3 * * *";
/** Report schedules (workers/reports/schedules/run.ts): whatever fell due, every minute. */
export const EVERY_MINUTE = "* * * * *";
/** Not a cron: `npm start` fires it through wrangler dev's /cdn-cgi/handler/scheduled once the Worker answers. */
export const AT_START = "@start";

type Job = (env: Bindings, now: Date) => Promise<void>;

const auditAnchorsJob: Job = async (env, now) => {
  if (!env.DATABASE_URL) return;
  await publishAuditAnchors(env, openDatabase(env.DATABASE_URL, env.NEON_WS_PROXY), now);
};

const retentionJob = (trigger: "schedule" | "start"): Job => async (env, now) => {
  if (!env.DATABASE_URL) return;
  const db = openDatabase(env.DATABASE_URL, env.NEON_WS_PROXY);
  try {
    const failed = await runRetentionForAll(env, db, trigger, now.getTime());
    if (failed > 0) throw new Error(`retention failed for ${failed} org(s)`);
  } finally {
    await db.$client.end().catch(() => undefined);
  }
};

const reportSchedulesJob: Job = async (env, now) => {
  if (!env.DATABASE_URL) return;
  const db = openDatabase(env.DATABASE_URL, env.NEON_WS_PROXY);
  try {
    await runDueSchedules(env, db, now);
  } finally {
    await db.$client.end().catch(() => undefined);
  }
};

export const JOBS: Record<string, Job[]> = {
  [EVERY_MINUTE]: [reportSchedulesJob],
  [HOURLY]: [auditAnchorsJob],
  [DAILY]: [retentionJob("schedule")],
  [AT_START]: [retentionJob("start")],
};

export async function runScheduled(cron: string, env: Bindings, now: Date): Promise<void> {
  const jobs = JOBS[cron] ?? [];
  const results = await Promise.allSettled(jobs.map((job) => job(env, now)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  for (const f of failed) logError(`scheduled job (${cron}) failed`, f.reason);
  if (failed.length > 0) throw new Error(`${failed.length} of ${jobs.length} scheduled jobs failed for ${cron}`);
}
