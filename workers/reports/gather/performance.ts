// The performance report: one model version's realised performance over a range, from
// the labels joined so far. It reads the event-time series the monitor writes
// (monitor_series, one point per hour of prediction time with the mergeable performance
// state, durable/monitor/series.ts), so a label that arrived days late still counts for
// the hour of its prediction:
//   - the whole range: the hours' states merged exactly (confusion counts, regression
//     sums, ROC bins), giving the confusion matrix or the regression errors and metrics;
//   - over time: per hour (ranges up to 3 days) or per day, metrics and label coverage;
//   - label delay: coverage by the age of the predictions (hours since their hour ended),
//     which shows how long labels take to arrive.
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { PerfState } from "../../../durable/monitor/perf.ts";
import type { RegressionResult } from "../../../stats/perf/regression.ts";
import { monitorSeries } from "../../db/schema/index.ts";
import type { Block, Gathered, Section } from "../document.ts";
import { formatNumber, formatPercent, formatTime } from "../render/format.ts";
import type { GatherContext } from "./context.ts";
import { iso } from "./context.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AGE_BANDS_H = [1, 6, 24, 72, 168, Infinity];

const KEY_METRICS = { classification: ["accuracy", "f1", "roc_auc"], regression: ["mae", "rmse", "r2"] } as const;

/** The regression errors under the report's snake_case keys (docs/schemas/report.schema.json). */
function regressionErrors(r: RegressionResult) {
  return { n: r.n, mae: r.mae, rmse: r.rmse, mape: r.mape, mape_excluded_zero_actuals: r.mapeExcludedZeroActuals, r2: r.r2, bias: r.bias };
}

export async function gatherPerformance(ctx: GatherContext): Promise<Gathered> {
  const v = ctx.scope.version!;
  const from = ctx.range.from.getTime();
  const to = ctx.range.to.getTime();
  const rows = await ctx.db
    .select({ t: monitorSeries.t, rows: monitorSeries.rows, labeled: monitorSeries.labeled, perf: monitorSeries.perf })
    .from(monitorSeries)
    .where(and(eq(monitorSeries.orgId, v.orgId), eq(monitorSeries.model, v.model), eq(monitorSeries.version, v.version), eq(monitorSeries.granularity, "hour"), gte(monitorSeries.t, new Date(Math.floor(from / HOUR) * HOUR)), lt(monitorSeries.t, ctx.range.to)))
    .orderBy(asc(monitorSeries.t));
  const hours = rows.map((r) => ({ t: r.t.getTime(), rows: r.rows, labeled: r.labeled, state: PerfState.fromJSON(r.perf) }));

  const whole = new PerfState();
  for (const h of hours) whole.merge(h.state);
  const view = whole.view();
  const predictions = hours.reduce((n, h) => n + h.rows, 0);
  const task = view?.task ?? (v.predictionKind === "regression" ? "regression" : "classification");

  // Steps: the hours as they are, or merged into days for longer ranges.
  const stepMs = to - from > 3 * DAY ? DAY : HOUR;
  const steps = new Map<number, { rows: number; labeled: number; state: PerfState }>();
  for (const h of hours) {
    const t = Math.floor(h.t / stepMs) * stepMs;
    const step = steps.get(t) ?? { rows: 0, labeled: 0, state: new PerfState() };
    step.rows += h.rows;
    step.labeled += h.labeled;
    step.state.merge(h.state);
    steps.set(t, step);
  }
  const overTime = [...steps.entries()].map(([t, s]) => ({ at: iso(t)!, rows: s.rows, labeled: s.labeled, coverage: s.rows > 0 ? s.labeled / s.rows : null, metrics: s.state.view()?.metrics ?? {} }));

  const delay = AGE_BANDS_H.map((upper, i) => {
    const lower = i === 0 ? 0 : AGE_BANDS_H[i - 1]!;
    const inBand = hours.filter((h) => {
      const age = (ctx.now - (h.t + HOUR)) / HOUR;
      return age >= lower && age < upper;
    });
    const n = inBand.reduce((a, h) => a + h.rows, 0);
    const l = inBand.reduce((a, h) => a + h.labeled, 0);
    return { min_age_hours: lower, max_age_hours: Number.isFinite(upper) ? upper : null, predictions: n, labeled: l, coverage: n > 0 ? l / n : null };
  });

  const confusion = whole.confusion && whole.confusion.n > 0 ? (() => {
    const labels = whole.confusion!.labels();
    return { labels, counts: labels.map((actual) => labels.map((predicted) => whole.confusion!.count(actual, predicted))), per_class: whole.confusion!.report().perClass };
  })() : null;
  const regression = whole.regression && whole.regression.n > 0 ? regressionErrors(whole.regression.result()) : null;

  const data = {
    model: v.model,
    version: v.version,
    stage: v.stage,
    prediction_kind: v.predictionKind,
    task,
    predictions,
    labeled: whole.labeled,
    label_coverage: predictions > 0 ? whole.labeled / predictions : null,
    metrics: view?.metrics ?? {},
    confusion_matrix: confusion,
    regression,
    label_delay: delay,
    over_time: { step_seconds: stepMs / 1000, points: overTime },
  };

  const summary: Block[] = [
    view
      ? { type: "paragraph", text: `${formatNumber(whole.labeled)} of ${formatNumber(predictions)} predictions in the range are labelled (${formatPercent(data.label_coverage)}).` }
      : { type: "paragraph", tone: "note", text: predictions > 0 ? `None of the ${formatNumber(predictions)} predictions in the range has an actual yet (send them to POST /v1/actuals).` : "The monitor recorded no predictions in this range." },
    { type: "facts", rows: [["Model version", `${v.model} ${v.version} (${v.stage}, ${v.predictionKind})`], ["Range (prediction time)", `${formatTime(from)} to ${formatTime(to)}`], ["Task", task]] },
    { type: "table", caption: "Metrics over the whole range", columns: [{ label: "Metric" }, { label: "Value", numeric: true }], rows: Object.entries(data.metrics).map(([k, val]) => [k, val]), empty: "No metric: no labelled prediction." },
  ];
  const sections: Section[] = [{ title: "Summary", blocks: summary }];
  if (confusion) {
    sections.push({
      title: "Confusion matrix",
      blocks: [
        { type: "table", caption: "Rows: actual label; columns: predicted label", columns: [{ label: "actual \\ predicted" }, ...confusion.labels.map((l) => ({ label: l, numeric: true }))], rows: confusion.labels.map((l, i) => [l, ...confusion.counts[i]!]) },
        { type: "table", caption: "Per class (one against the rest)", columns: [{ label: "Class" }, { label: "Precision", numeric: true }, { label: "Recall", numeric: true }, { label: "F1", numeric: true }, { label: "Support", numeric: true }], rows: Object.entries(confusion.per_class).map(([c, m]) => [c, m.precision, m.recall, m.f1, m.support]) },
      ],
    });
  }
  if (regression) {
    sections.push({ title: "Regression errors", blocks: [{ type: "table", columns: [{ label: "Measure" }, { label: "Value", numeric: true }], rows: Object.entries(regression).map(([k, val]) => [k, typeof val === "number" ? val : String(val)]) }] });
  }
  const keys = KEY_METRICS[task];
  const series = keys.map((k) => ({ name: k, points: overTime.map((p): [number, number | null] => [Date.parse(p.at), p.metrics[k] ?? null]) })).filter((s) => s.points.some(([, val]) => val !== null));
  sections.push({
    title: "Performance over time",
    blocks: [
      series.length ? { type: "line-chart", title: `${keys.join(", ")} per ${stepMs === HOUR ? "hour" : "day"} of prediction time`, y_label: "metric", from, to, series } : { type: "paragraph", tone: "note", text: "No labelled step in the range." },
      { type: "line-chart", title: "Label coverage (labelled / predictions)", y_label: "share", from, to, series: [{ name: "coverage", points: overTime.map((p) => [Date.parse(p.at), p.coverage]) }] },
      { type: "table", columns: [{ label: "Step" }, { label: "Predictions", numeric: true }, { label: "Labelled", numeric: true }, { label: "Coverage", numeric: true }, ...keys.map((k) => ({ label: k, numeric: true }))], rows: overTime.map((p) => [formatTime(p.at), p.rows, p.labeled, p.coverage === null ? null : formatPercent(p.coverage), ...keys.map((k) => p.metrics[k] ?? null)]), empty: "No predictions in the range." },
    ],
  });
  sections.push({
    title: "Label delay",
    blocks: [
      { type: "paragraph", text: "Coverage by the age of the predictions at generation time: how long labels take to arrive. Young predictions without labels are expected; old ones without labels are labels that never came." },
      { type: "table", columns: [{ label: "Prediction age" }, { label: "Predictions", numeric: true }, { label: "Labelled", numeric: true }, { label: "Coverage", numeric: true }], rows: delay.map((d) => [`${d.min_age_hours} h to ${d.max_age_hours === null ? "older" : `${d.max_age_hours} h`}`, d.predictions, d.labeled, d.coverage === null ? null : formatPercent(d.coverage)]) },
    ],
  });
  return { title: `Performance report: ${v.model} ${v.version}`, subtitle: `${formatTime(from)} to ${formatTime(to)}, by prediction time`, data, sections };
}
