// Soak (issue 23): sustained ingest with random UUID prediction ids, labels for a share of
// them and a drift onset half way, against one `npm start` stack, sampling workerd's
// memory and the Durable Object's storage every `--sample` seconds. At the end it checks
// that every acknowledged event was counted once, every label joined once, and that
// workerd's RSS after the warm-up grew by less than `--max-growth` (10 %) over the rest.
//
//   node scripts/reliability/soak.ts [--minutes 30] [--rate 50000] [--batch 1000]
//        [--labels 0.5] [--warmup 5] [--sample 10] [--senders 8] [--direct] [--json out.json]
//
// On a 2-core machine the stack and the senders share the cores: `--rate` is a target,
// and the achieved rate is reported. Results go in docs/reliability.md ("Soak").
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { directBase, workerdRssMb } from "../testing/workerd.ts";
import { launchStack, type Stack } from "../testing/stack.ts";

const { values: flags } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    rate: { type: "string", default: "50000" },
    batch: { type: "string", default: "1000" },
    labels: { type: "string", default: "0.5" },
    warmup: { type: "string", default: "5" },
    sample: { type: "string", default: "10" },
    senders: { type: "string", default: "8" },
    "max-growth": { type: "string", default: "0.1" },
    direct: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const MINUTES = Number(flags.minutes);
const RATE = Number(flags.rate);
const BATCH = Number(flags.batch);
const LABEL_SHARE = Number(flags.labels);
const WARMUP_MS = Number(flags.warmup) * 60_000;
const SAMPLE_MS = Number(flags.sample) * 1000;
const SENDERS = Number(flags.senders);
const MAX_GROWTH = Number(flags["max-growth"]);
const MODEL = "soak";
const REGIONS = ["north", "south", "east", "west", "central"];

interface Sample {
  t: number;
  acked: number;
  counted: number;
  labelsSent: number;
  rssMb: number;
  storageMb: number;
  predictions: number;
}


/** One batch: 20 features (every fourth categorical), f0 shifted by one unit (≈ 1 σ·0.35) once drifting. */
function batchBody(random: () => number, id: string, drifting: boolean): { body: string; ids: string[]; predictions: number[] } {
  const ids: string[] = [];
  const predictions: number[] = [];
  const events = Array.from({ length: BATCH }, () => {
    const features: Record<string, unknown> = {};
    for (let f = 0; f < 20; f++) features[`f${f}`] = f % 4 === 3 ? REGIONS[Math.floor(random() * REGIONS.length)] : Math.round(random() * 1e4) / 100 + (drifting && f === 0 ? 30 : 0);
    const prediction_id = crypto.randomUUID();
    const prediction = random() > 0.5 ? 1 : 0;
    ids.push(prediction_id);
    predictions.push(prediction);
    return { prediction_id, features, prediction, score: Math.round(random() * 1e3) / 1e3 };
  });
  return { body: JSON.stringify({ model: MODEL, version: "v1", batch_id: id, events }), ids, predictions };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function monitorStats(stack: Stack): Promise<{ storageBytes: number; predictions: number; totals: { events: number } }> {
  const res = await fetch(`${stack.base}/v1/models/${MODEL}/versions/v1/monitor-stats`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  if (res.status !== 200) throw new Error(`monitor-stats ${res.status}: ${await res.text()}`);
  return (await res.json()) as { storageBytes: number; predictions: number; totals: { events: number } };
}

/** Requests resent after a connection failed without a reply (the stack's log is printed at the end when any did). */
const transport = { failures: 0, lastError: "" };

async function post(stack: Stack, path: string, body: string): Promise<Record<string, unknown> & { resent?: boolean }> {
  let resent = false;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${stack.base}${path}`, { method: "POST", headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" }, body });
    } catch (error) {
      // No reply: the request may or may not have been applied. A client resends the same
      // body (the same batch id, the same actuals), which must count nothing twice.
      transport.failures++;
      transport.lastError = String((error as { cause?: unknown }).cause ?? error);
      if (attempt >= 20) throw error;
      resent = true;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      continue;
    }
    const reply = (await res.json()) as Record<string, unknown>;
    if (res.status === 200) return resent ? { ...reply, resent } : reply;
    // 429/503 are retried with the same body (the same batch id: never counted twice).
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      continue;
    }
    throw new Error(`${path} ${res.status}: ${JSON.stringify(reply).slice(0, 300)}`);
  }
}

const launched = await launchStack();
const direct = flags.direct ? await directBase(launched) : null;
if (flags.direct && direct === null) throw new Error("--direct: could not find the Worker's own port");
const stack: Stack = direct === null ? launched : { ...launched, base: direct };
try {
  const random = mulberry32(23);
  let acked = 0;
  let labelsSent = 0;
  let labelsMatched = 0;
  let labelsOther = 0;
  let duplicates = 0;
  let seq = 0;
  const samples: Sample[] = [];
  const t0 = Date.now();
  const deadline = t0 + MINUTES * 60_000;
  const driftAt = t0 + (MINUTES * 60_000) / 2;

  // The first batch registers the version (auto-registration from its events).
  const first = batchBody(random, `soak-${seq++}`, false);
  acked += Number((await post(stack, "/v1/ingest", first.body)).accepted);

  const sampler = setInterval(() => {
    void monitorStats(stack)
      .then((s) => samples.push({ t: Date.now() - t0, acked, counted: s.totals.events, labelsSent, rssMb: workerdRssMb(), storageMb: s.storageBytes / 2 ** 20, predictions: s.predictions }))
      .catch((error: unknown) => console.error(`sample failed: ${String(error)}`));
  }, SAMPLE_MS);

  // Each sender paces its own batches so the senders together aim at RATE events/s.
  const interval = (SENDERS * BATCH * 1000) / RATE;
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      let next = t0 + (sender * interval) / SENDERS;
      while (Date.now() < deadline) {
        const wait = next - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += interval;
        const { body, ids, predictions } = batchBody(random, `soak-${seq++}`, Date.now() >= driftAt);
        const reply = await post(stack, "/v1/ingest", body);
        acked += Number(reply.accepted);
        if (reply.duplicate === true) duplicates++;
        // Labels for a share of the batch's predictions, as a label feed would send them.
        const labelled = ids.flatMap((id, i) => (random() < LABEL_SHARE ? [{ prediction_id: id, actual: random() < 0.8 ? predictions[i] : 1 - predictions[i]! }] : []));
        if (labelled.length > 0) {
          const joined = await post(stack, "/v1/actuals", JSON.stringify({ model: MODEL, version: "v1", actuals: labelled }));
          labelsSent += labelled.length;
          const already = Number(joined.already_labeled ?? joined.alreadyLabeled ?? 0);
          // Resent after a lost reply: the first attempt may have joined some of them already.
          labelsMatched += Number(joined.matched ?? 0) + (joined.resent ? already : 0);
          labelsOther += Number(joined.unmatched ?? 0) + (joined.resent ? 0 : already);
        }
      }
    }),
  );
  const sendingSeconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);

  // Every acknowledged event counted exactly once (give a loaded machine time to catch up).
  let final = await monitorStats(stack);
  const settle = Date.now() + 120_000;
  while (final.totals.events < acked && Date.now() < settle) {
    await new Promise((r) => setTimeout(r, 1_000));
    final = await monitorStats(stack);
  }

  // RSS saws up and down by 100–300 MB as the label join's index merges (docs/reliability.md),
  // so a single sample at either end says little: compare the median of the first minute
  // after the warm-up with the median of the last minute (each at most half of what follows
  // the warm-up, so a short run's two spans do not overlap).
  const afterWarmup = samples.filter((s) => s.t >= WARMUP_MS);
  const lastT = afterWarmup[afterWarmup.length - 1]?.t ?? 0;
  const span = Math.min(60_000, (lastT - WARMUP_MS) / 2);
  const firstRss = median(afterWarmup.filter((s) => s.t <= WARMUP_MS + span).map((s) => s.rssMb));
  const lastRss = median(afterWarmup.filter((s) => s.t >= lastT - span).map((s) => s.rssMb));
  const growth = (lastRss - firstRss) / firstRss;
  const result = {
    machine: `${cpus().length} × ${cpus()[0]?.model}`,
    load: loadavg().map((x) => x.toFixed(1)).join(" "),
    minutes: MINUTES,
    targetRate: RATE,
    achievedRate: Math.round(acked / sendingSeconds),
    acked,
    counted: final.totals.events,
    duplicates,
    labelsSent,
    labelsMatched,
    labelsOther,
    resentRequests: transport.failures,
    rssAfterWarmupMb: Math.round(firstRss),
    rssEndMb: Math.round(lastRss),
    rssGrowth: growth,
    storageEndMb: Math.round(final.storageBytes / 2 ** 20),
    predictionsKept: final.predictions,
    samples,
  };
  const checks = [
    { name: "every acknowledged event counted once", ok: final.totals.events === acked, detail: `${final.totals.events} counted of ${acked} acknowledged` },
    { name: "every label joined once", ok: labelsMatched === labelsSent && labelsOther === 0, detail: `${labelsMatched} matched of ${labelsSent} sent, ${labelsOther} unmatched or already labelled` },
    { name: `RSS after ${flags.warmup} min grows < ${MAX_GROWTH * 100} % (medians of the first and last minute)`, ok: Number.isFinite(growth) && growth < MAX_GROWTH, detail: `${firstRss.toFixed(0)} → ${lastRss.toFixed(0)} MB (${(growth * 100).toFixed(1)} %) while the object's storage went ${afterWarmup[0]?.storageMb.toFixed(0)} → ${afterWarmup[afterWarmup.length - 1]?.storageMb.toFixed(0)} MB` },
  ];
  console.log(`soak: ${MINUTES} min, target ${RATE} events/s, achieved ${result.achievedRate} events/s, ${BATCH}-event batches, ${SENDERS} senders, labels for ${LABEL_SHARE * 100} %, drift onset at half time; ${result.machine}; load ${result.load}`);
  console.log("\n| minute | acknowledged | counted | labels sent | workerd RSS (MB) | DO storage (MB) | predictions kept |\n|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of samples.filter((_, i) => i % Math.max(1, Math.round(60_000 / SAMPLE_MS)) === 0)) {
    console.log(`| ${(s.t / 60_000).toFixed(1)} | ${s.acked} | ${s.counted} | ${s.labelsSent} | ${s.rssMb.toFixed(0)} | ${s.storageMb.toFixed(1)} | ${s.predictions} |`);
  }
  console.log("");
  for (const c of checks) console.log(`${c.ok ? "PASS" : "FAIL"} ${c.name}: ${c.detail}`);
  if (transport.failures > 0) {
    console.log(`\n${transport.failures} request(s) resent after a connection closed without a reply (last: ${transport.lastError}); the stack's log, last 80 lines:`);
    console.log(stack.output().split("\n").slice(-80).join("\n"));
  }
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ ...result, checks }, null, 2));
  if (!checks.every((c) => c.ok)) process.exitCode = 1;
} catch (error) {
  console.error(`soak stopped: ${String(error)}\nthe stack's log, last 80 lines:\n${launched.output().split("\n").slice(-80).join("\n")}`);
  throw error;
} finally {
  await launched.stop();
}
