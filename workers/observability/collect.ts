// Gathers the numbers of a scrape: the model versions the caller may read (the registry,
// checked with authz/access.ts scopesOn like every other read), each version's monitor
// (the same live view the dashboard gets, over RPC, a few at a time) and open alerts
// from Postgres (filtered like GET /v1/alerts). A monitor that errors or is slow costs
// only its own series: it is reported with vigil_monitor_up 0 and counted in
// vigil_scrape_errors, and the scrape still answers.
import { and, asc, count, eq, ne, type SQL } from "drizzle-orm";
import type { MonitorMetrics } from "../../durable/monitor/metrics-view.ts";
import type { Principal } from "../auth/principal.ts";
import { scopesOn } from "../authz/access.ts";
import { scopeSatisfies } from "../authz/scopes.ts";
import { alertScopeFilter } from "../alerts/access.ts";
import type { Queryable } from "../db/queryable.ts";
import { alerts, modelVersions, models } from "../db/schema/index.ts";
import type { Bindings } from "../env.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { logError } from "../security/log-safe.ts";
import { MetricSet } from "./families.ts";
import { addVersionSamples, SEVERITIES, type Severity } from "./version-samples.ts";

/** Monitors asked at once: enough to hide RPC latency, few enough not to flood the isolate. */
export const SCRAPE_CONCURRENCY = 8;
/** A monitor that has not answered by then is reported down for this scrape. */
export const MONITOR_TIMEOUT_MS = 5_000;
/** Versions per scrape, in model and version order; any past it are counted in vigil_scrape_versions_skipped. */
export const MAX_VERSIONS_PER_SCRAPE = 500;

interface ReadableVersion {
  model: string;
  version: string;
}

/** Versions of the caller's org it may read, archived ones left out, ordered by model and version. */
async function readableVersions(db: Queryable, p: Principal): Promise<ReadableVersion[]> {
  const where: (SQL | undefined)[] = [eq(models.orgId, p.orgId), ne(modelVersions.stage, "archived")];
  if (p.kind === "api_key" && p.projectId) where.push(eq(models.projectId, p.projectId));
  if (p.kind === "api_key" && p.modelId) where.push(eq(models.id, p.modelId));
  const rows = await db
    .select({ modelId: models.id, projectId: models.projectId, model: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(...where))
    .orderBy(asc(models.name), asc(modelVersions.version));
  return rows.filter((r) => {
    const scopes = scopesOn(p, { projectId: r.projectId, modelId: r.modelId });
    return scopes !== null && scopeSatisfies(scopes, "read");
  });
}

const versionKey = (model: string, version: string) => JSON.stringify([model, version]);

/** Open alerts per version and severity, within the caller's reach. */
async function openAlerts(db: Queryable, p: Principal): Promise<Map<string, Partial<Record<Severity, number>>>> {
  const where: (SQL | undefined)[] = [eq(alerts.orgId, p.orgId), eq(alerts.status, "open"), alertScopeFilter(db, p)];
  const rows = await db
    .select({ model: alerts.model, version: alerts.version, severity: alerts.severity, n: count() })
    .from(alerts)
    .where(and(...where))
    .groupBy(alerts.model, alerts.version, alerts.severity);
  const out = new Map<string, Partial<Record<Severity, number>>>();
  for (const r of rows) {
    if (!(SEVERITIES as readonly string[]).includes(r.severity)) continue;
    const key = versionKey(r.model, r.version);
    const bySeverity = out.get(key) ?? {};
    bySeverity[r.severity as Severity] = Number(r.n);
    out.set(key, bySeverity);
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface ScrapeOptions {
  /** For tests: how long to wait for one monitor. */
  monitorTimeoutMs?: number;
}

/** Every sample the caller may see, ready to render. */
export async function collectMetrics(env: Bindings, db: Queryable, p: Principal, options: ScrapeOptions = {}): Promise<MetricSet> {
  const [readable, alertCounts] = await Promise.all([readableVersions(db, p), openAlerts(db, p)]);
  const versions = readable.slice(0, MAX_VERSIONS_PER_SCRAPE);
  const answers = await mapBounded(versions, SCRAPE_CONCURRENCY, async (v): Promise<MonitorMetrics | null> => {
    try {
      const stub = monitorStub(env, p.orgId, v.model, v.version);
      return await withTimeout(stub.metrics(), options.monitorTimeoutMs ?? MONITOR_TIMEOUT_MS, `monitor ${v.model} ${v.version}`);
    } catch (error) {
      logError(`metrics: monitor ${v.model} ${v.version}`, error);
      return null;
    }
  });
  const set = new MetricSet();
  let errors = 0;
  versions.forEach((v, i) => {
    const answer = answers[i];
    set.add("monitorUp", { model: v.model, version: v.version }, answer ? 1 : 0);
    if (!answer) {
      errors++;
      return;
    }
    addVersionSamples(set, {
      model: v.model,
      version: v.version,
      windows: answer.snapshot.windows,
      totals: answer.snapshot.totals,
      ingestToCountMs: answer.freshness?.ingestToCountMs ?? null,
      baselineReady: answer.snapshot.baseline.status === "ready",
      sinks: answer.sinks,
      openAlerts: alertCounts.get(versionKey(v.model, v.version)) ?? {},
    });
  });
  set.add("scrapeErrors", {}, errors);
  set.add("scrapeVersions", {}, readable.length);
  set.add("scrapeSkipped", {}, readable.length - versions.length);
  return set;
}
