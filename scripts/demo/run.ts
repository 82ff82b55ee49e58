// The demo's stream: batches every 250 ms at the requested rate, labels posted after
// the label delay, and the live endpoint polled to show what the monitor sees.
// Batch and prediction ids carry a random id per run: the monitor drops a batch id it
// saw in the last 24 h, so ids that repeated across runs (same model, version and seed)
// made a second run within a day count only what the first had not sent. Duplicate
// replies (a retried batch whose first reply was lost) show in the status line.
import { randomBytes } from "node:crypto";
import type { DemoOptions } from "./args.ts";
import { postWithRetry } from "./client.ts";
import { KPI, revenueOf, setValueMatrix } from "./business.ts";
import { createGenerator, type DemoEvent } from "./model.ts";

const TICK_MS = 250;
const MAX_BATCH = 5_000;

export interface DemoSummary {
  /** Part of every batch and prediction id of this run. */
  runId: string;
  sent: number;
  accepted: number;
  rejected: number;
  /** Batches the server reported as already stored (their events count once, in `accepted`). */
  duplicates: number;
  failedBatches: number;
  labels: number;
  labelsMatched: number;
  /** Business outcomes (loan_revenue of approved loans) the API accepted. */
  outcomes: number;
  /** What GET …/live reported last: every event of the version, earlier runs' too. */
  monitorEvents: number | null;
  /** What it reported before this run sent anything (0 for a new version). */
  monitorEventsBefore: number;
  drifted5m: string[];
  firstDriftSeenAfterOnsetMs: number | null;
}

interface LiveWindow { window: string; rows: number; features: { feature: string; drifted: boolean }[] }
interface LiveSnapshot { baseline: { status: string; rows: number; target: number }; windows: LiveWindow[]; totals: { events: number } }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The monitor counted exactly the events this run had acknowledged. */
export function reconciled(s: DemoSummary): boolean {
  return s.monitorEvents !== null && s.monitorEvents - s.monitorEventsBefore === s.accepted;
}

export async function runDemo(o: DemoOptions, log: (line: string) => void, stop: { requested: boolean }): Promise<DemoSummary> {
  const onsetAt = Math.round(o.onset * o.rate);
  const runId = randomBytes(4).toString("hex");
  const idPrefix = `${o.model}-${o.version}-s${o.seed}-${runId}`;
  const next = createGenerator(o.seed, onsetAt, idPrefix);
  const s: DemoSummary = {
    runId, sent: 0, accepted: 0, rejected: 0, duplicates: 0, failedBatches: 0, labels: 0, labelsMatched: 0, outcomes: 0,
    monitorEvents: null, monitorEventsBefore: 0, drifted5m: [], firstDriftSeenAfterOnsetMs: null,
  };
  const pending: { dueAt: number; prediction_id: string; prediction: 0 | 1; actual: 0 | 1 }[] = [];
  let valueMatrixSet = false;
  const liveUrl = `${o.url}/v1/models/${encodeURIComponent(o.model)}/versions/${encodeURIComponent(o.version)}/live`;
  let baseline = "unknown";
  const t0 = Date.now();
  let onsetWall: number | null = null;

  async function pollLive(): Promise<void> {
    try {
      const res = await fetch(liveUrl, { headers: { authorization: `Bearer ${o.key}` }, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return;
      const snap = (await res.json()) as LiveSnapshot;
      s.monitorEvents = snap.totals.events;
      baseline = snap.baseline.status === "ready" ? "ready" : `collecting ${snap.baseline.rows}/${snap.baseline.target}`;
      s.drifted5m = snap.windows.find((w) => w.window === "5m")?.features.filter((f) => f.drifted).map((f) => f.feature) ?? [];
      if (onsetWall !== null && s.firstDriftSeenAfterOnsetMs === null && s.drifted5m.length > 0) s.firstDriftSeenAfterOnsetMs = Date.now() - onsetWall;
    } catch {
      // the next poll tries again; the stream itself is what matters
    }
  }

  async function flushLabels(now: number): Promise<void> {
    let due = 0;
    while (due < pending.length && pending[due]!.dueAt <= now) due++;
    for (let i = 0; i < due; i += 10_000) {
      const chunk = pending.slice(i, Math.min(due, i + 10_000));
      const at = new Date(now).toISOString();
      const reply = await postWithRetry(`${o.url}/v1/actuals`, o.key, {
        model: o.model, version: o.version, actuals: chunk.map((p) => ({ prediction_id: p.prediction_id, actual: p.actual, timestamp: at })),
      }).catch(() => null);
      if (reply && reply.status < 300) {
        s.labels += chunk.length;
        s.labelsMatched += Number(reply.body.matched ?? 0);
        // What the decisions earned, known now that the labels are: the KPI for the Analytics page.
        const outcomes = chunk.flatMap((p) => {
          const value = revenueOf(p.prediction, p.actual);
          return value === null ? [] : [{ prediction_id: p.prediction_id, timestamp: at, kpi: KPI, value }];
        });
        if (outcomes.length > 0) {
          const sent = await postWithRetry(`${o.url}/v1/outcomes`, o.key, { model: o.model, version: o.version, outcomes }, { deadlineMs: 10_000 }).catch(() => null);
          if (sent && sent.status < 300) s.outcomes += Number(sent.body.accepted ?? 0);
        }
      }
    }
    pending.splice(0, due);
  }

  const status = () => {
    const elapsed = ((Date.now() - t0) / 1000).toFixed(0).padStart(4);
    const phase = s.sent >= onsetAt ? "DRIFTING" : `drift in ${Math.max(0, Math.ceil((onsetAt - s.sent) / o.rate))} s`;
    return `${elapsed}s  sent ${s.sent}  accepted ${s.accepted}  rejected ${s.rejected}  duplicate batches ${s.duplicates}  labels ${s.labelsMatched}/${s.labels}  ${KPI} ${s.outcomes}  ` +
      `monitor ${s.monitorEvents === null ? "?" : s.monitorEvents - s.monitorEventsBefore}  baseline ${baseline}  [${phase}]  drifted(5m): ${s.drifted5m.join(", ") || "none"}`;
  };

  // An earlier run's events stay in the version's totals; reconcile this run's against the rest.
  await pollLive();
  s.monitorEventsBefore = s.monitorEvents ?? 0;

  let polling: Promise<void> = Promise.resolve();
  let lastPoll = 0;
  let lastPrint = 0;
  for (let batch = 0; !stop.requested; batch++) {
    const now = Date.now();
    const elapsedS = (now - t0) / 1000;
    if (o.duration > 0 && elapsedS >= o.duration) break;
    const due = Math.min(MAX_BATCH, Math.floor(elapsedS * o.rate) - s.sent);
    if (due > 0) {
      const events: DemoEvent[] = [];
      const labels: { prediction_id: string; prediction: 0 | 1; actual: 0 | 1 }[] = [];
      for (let i = 0; i < due; i++) {
        if (s.sent + i === onsetAt) onsetWall = now;
        const { event, actual } = next(now);
        events.push(event);
        labels.push({ prediction_id: event.prediction_id, prediction: event.prediction, actual });
      }
      s.sent += due;
      const batchId = `${idPrefix}-b${batch}`;
      const reply = await postWithRetry(`${o.url}/v1/ingest`, o.key, { model: o.model, version: o.version, batch_id: batchId, events }, {
        onRetry: (code, detail) => log(`  batch ${batchId}: ${code || "no reply"} ${detail.slice(0, 120)}; retrying with the same batch_id`),
      }).catch((error: Error) => {
        log(`  batch ${batchId} not acknowledged: ${error.message}`);
        return null;
      });
      if (!reply) s.failedBatches++;
      else if (reply.status >= 300) {
        s.rejected += due;
        log(`  batch ${batchId}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
      } else {
        s.accepted += Number(reply.body.accepted ?? 0);
        s.rejected += Number(reply.body.rejected_count ?? 0);
        if (reply.body.duplicate === true) s.duplicates++;
        for (const l of labels) pending.push({ dueAt: now + o.labelDelay * 1000, ...l });
        // The first accepted batch registered the version: price its decisions once.
        if (!valueMatrixSet) {
          valueMatrixSet = true;
          log(await setValueMatrix(o.url, o.key, o.model, o.version));
        }
      }
    }
    await flushLabels(Date.now());
    if (Date.now() - lastPoll >= 1_000) {
      lastPoll = Date.now();
      await polling;
      polling = pollLive();
    }
    if (Date.now() - lastPrint >= 2_000) {
      lastPrint = Date.now();
      log(status());
    }
    const wait = TICK_MS - (Date.now() - now);
    if (wait > 0) await sleep(wait);
  }

  // Drain: the remaining labels come due, then the monitor's count catches up.
  while (pending.length > 0 && !stop.requested) {
    await sleep(Math.max(0, Math.min(1_000, pending[0]!.dueAt - Date.now())));
    await flushLabels(Date.now());
  }
  await polling;
  const settleBy = Date.now() + 30_000;
  do {
    await pollLive();
    if (reconciled(s)) break;
    await sleep(500);
  } while (Date.now() < settleBy);
  log(status());
  return s;
}
