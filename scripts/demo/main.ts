// `npm run demo`: streams a credit-risk classifier into a running Vigil (`npm start`),
// with delayed labels and a drift onset in two features, and narrates what to watch.
import { localDataDir, readAdminKey } from "../lib/local-secrets.ts";
import { parseDemoArgs } from "./args.ts";
import { DRIFTED_FEATURES } from "./model.ts";
import { reconciled as isReconciled, runDemo } from "./run.ts";

let options;
try {
  options = parseDemoArgs(process.argv.slice(2), process.env, () => readAdminKey(localDataDir(process.env)));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const o = options;
const stop = { requested: false };
process.on("SIGINT", () => {
  if (stop.requested) process.exit(130);
  stop.requested = true;
  console.log("\nstopping: draining labels (Ctrl-C again to quit now)");
});

const health = await fetch(`${o.url}/v1/health`).catch(() => null);
if (!health?.ok) {
  console.error(`Vigil is not reachable at ${o.url} (start it with \`npm start\`, or pass --url)`);
  process.exit(1);
}
console.log(
  [
    `Streaming "${o.model}" ${o.version} to ${o.url}: ${o.rate} events/s, labels after ${o.labelDelay} s, seed ${o.seed}.`,
    `  Watch:   ${o.url}/#/models/${encodeURIComponent(o.model)}/${encodeURIComponent(o.version)}`,
    `  Live:    curl -H "Authorization: Bearer ${o.key.slice(0, 13)}…" ${o.url}/v1/models/${o.model}/versions/${o.version}/live`,
    `  The first 5,000 events become the baseline; after ${o.onset} s ${DRIFTED_FEATURES.join(" and ")} drift, the other 8 features stay put.`,
    `  Business: each labelled approval reports its revenue as the KPI "loan_revenue" and a value matrix prices every decision; ` +
      `watch ${o.url}/#/analytics (KPI loan_revenue, sum per minute, against accuracy or drift_share).`,
    o.duration > 0 ? `  Runs for ${o.duration} s.` : "  Runs until Ctrl-C.",
  ].join("\n"),
);
const summary = await runDemo(o, (line) => console.log(line), stop);
const reconciled = isReconciled(summary);
console.log(
  `done: sent ${summary.sent}, accepted ${summary.accepted} (2xx; ${summary.duplicates} duplicate batches), monitor counted ${summary.monitorEvents === null ? "?" : summary.monitorEvents - summary.monitorEventsBefore}` +
    ` ${reconciled ? "= reconciled" : "≠ NOT reconciled"}; drift first seen ${summary.firstDriftSeenAfterOnsetMs === null ? "never" : `${(summary.firstDriftSeenAfterOnsetMs / 1000).toFixed(1)} s after onset`}`,
);
if (o.json) console.log(`DEMO_SUMMARY ${JSON.stringify(summary)}`);
process.exitCode = reconciled && summary.failedBatches === 0 ? 0 : 1;
