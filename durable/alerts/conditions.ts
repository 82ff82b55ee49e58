// One function per rule kind: does this window breach the rule, and what is the
// evidence. Pure; the statistics (scores, thresholds, drifted flags) come from the
// window metrics and are never recomputed here.
import type { Evidence, FeatureEvidence, Verdict } from "./evidence.ts";
import type { FeatureDrift, MonitorMetrics, WindowMetrics } from "./metrics.ts";
import type { AlertRule, RuleCondition } from "./rules.ts";

const SKIP: Verdict = { breached: null, evidence: null };

function evidence(w: WindowMetrics, value: number, threshold: number, summary: string, features: FeatureEvidence[] = []): Evidence {
  return { window: w.window, from: w.from, to: w.to, value, threshold, summary, baseline: w.baseline ?? null, features };
}

function drifted(f: FeatureDrift, threshold: number | undefined): boolean {
  // An explicit threshold compares the raw score; p-value style methods drift *below* it.
  if (threshold === undefined) return f.drifted;
  const pValue = f.direction ? f.direction === "p_value" : f.method.endsWith("p_value");
  return pValue ? f.score < threshold : f.score >= threshold;
}

function featureEvidence(f: FeatureDrift, threshold?: number): FeatureEvidence {
  return { feature: f.feature, method: f.method, score: f.score, threshold: threshold ?? f.threshold };
}

/** Worst first: by how far past its threshold each score is, relative to the threshold. */
function worstFirst(a: FeatureEvidence, b: FeatureEvidence): number {
  const excess = (e: FeatureEvidence) => (e.threshold === 0 ? e.score : Math.abs(e.score - e.threshold) / Math.abs(e.threshold));
  return excess(b) - excess(a);
}

function featureDrift(c: Extract<RuleCondition, { kind: "feature_drift" }>, w: WindowMetrics): Verdict {
  const watched = w.features.filter((f) => !c.features || c.features.includes(f.feature));
  if (watched.length === 0) return SKIP;
  const hits = watched.filter((f) => drifted(f, c.threshold)).map((f) => featureEvidence(f, c.threshold)).sort(worstFirst);
  const top = hits[0];
  const summary = top ? `${hits.length} feature(s) drifted; worst ${top.feature} ${top.method} ${fmt(top.score)} (threshold ${fmt(top.threshold)})` : "no feature drifted";
  return { breached: hits.length > 0, evidence: evidence(w, top?.score ?? 0, top?.threshold ?? c.threshold ?? 0, summary, hits) };
}

function datasetDrift(c: Extract<RuleCondition, { kind: "dataset_drift" }>, w: WindowMetrics): Verdict {
  if (w.features.length === 0) return SKIP;
  const hits = w.features.filter((f) => f.drifted).map((f) => featureEvidence(f)).sort(worstFirst);
  const share = hits.length / w.features.length;
  const summary = `${hits.length} of ${w.features.length} features drifted (share ${fmt(share)}, threshold ${fmt(c.share)})`;
  return { breached: share >= c.share, evidence: evidence(w, share, c.share, summary, hits) };
}

function predictionDrift(c: Extract<RuleCondition, { kind: "prediction_drift" }>, w: WindowMetrics): Verdict {
  const p = w.prediction;
  if (!p) return SKIP;
  const hit = drifted(p, c.threshold);
  const e = featureEvidence(p, c.threshold);
  return { breached: hit, evidence: evidence(w, p.score, e.threshold, `prediction ${p.method} ${fmt(p.score)} (threshold ${fmt(e.threshold)})`, [e]) };
}

function performance(c: Extract<RuleCondition, { kind: "performance" }>, w: WindowMetrics): Verdict {
  const v = w.performance[c.metric];
  if (v === undefined || !Number.isFinite(v)) return SKIP;
  const hit = c.op === "below" ? v < c.value : v > c.value;
  return { breached: hit, evidence: evidence(w, v, c.value, `${c.metric} ${fmt(v)} (${c.op} ${fmt(c.value)} fires)`) };
}

const qualityField = { missing_rate: "missingRate", new_categories: "newCategoryRate", out_of_range: "outOfRangeRate" } as const;

function dataQuality(c: Extract<RuleCondition, { kind: "data_quality" }>, w: WindowMetrics): Verdict {
  if (!w.quality || w.rows === 0) return SKIP;
  const rates = Object.entries(w.quality[qualityField[c.check]]).filter(([name]) => !c.features || c.features.includes(name));
  const hits = rates
    .filter(([, rate]) => rate > c.max)
    .map(([feature, rate]) => ({ feature, method: c.check, score: rate, threshold: c.max }))
    .sort((a, b) => b.score - a.score);
  const worst = hits[0]?.score ?? Math.max(0, ...rates.map(([, r]) => r));
  const summary = hits.length ? `${c.check} above ${fmt(c.max)} on ${hits.map((h) => `${h.feature} (${fmt(h.score)})`).join(", ")}` : `${c.check} within ${fmt(c.max)}`;
  return { breached: hits.length > 0, evidence: evidence(w, worst, c.max, summary, hits) };
}

function latency(c: Extract<RuleCondition, { kind: "latency" }>, w: WindowMetrics): Verdict {
  const v = w.latency?.[c.percentile];
  if (v === undefined || w.rows === 0) return SKIP;
  return { breached: v > c.above_ms, evidence: evidence(w, v, c.above_ms, `latency ${c.percentile} ${fmt(v)} ms (limit ${fmt(c.above_ms)} ms)`) };
}

function volume(c: Extract<RuleCondition, { kind: "volume" }>, w: WindowMetrics): Verdict {
  if (w.volumeBaseline === null || w.volumeBaseline <= 0) return SKIP;
  const ratio = w.rows / w.volumeBaseline;
  const drop = c.min_ratio !== undefined && ratio < c.min_ratio;
  const spike = c.max_ratio !== undefined && ratio > c.max_ratio;
  const bound = drop ? c.min_ratio! : spike ? c.max_ratio! : (c.min_ratio ?? c.max_ratio ?? 1);
  const what = drop ? "drop" : spike ? "spike" : "normal";
  return { breached: drop || spike, evidence: evidence(w, ratio, bound, `volume ${what}: ${w.rows} rows vs baseline ${fmt(w.volumeBaseline)} (ratio ${fmt(ratio)})`) };
}

function noData(c: Extract<RuleCondition, { kind: "no_data" }>, m: MonitorMetrics, now: number, window: AlertRule["window"]): Verdict {
  // Before the first event there is nothing to miss: a version that never sent data is not "down".
  if (m.lastEventAt === null) return SKIP;
  const minutes = (now - m.lastEventAt) / 60_000;
  const e: Evidence = { window, from: m.lastEventAt, to: now, value: minutes, threshold: c.minutes, summary: `no events for ${fmt(minutes)} min (limit ${c.minutes} min)`, features: [] };
  return { breached: minutes >= c.minutes, evidence: e };
}

function multivariate(c: Extract<RuleCondition, { kind: "multivariate" }>, m: MonitorMetrics, window: AlertRule["window"]): Verdict {
  const v = m.multivariate;
  if (!v) return SKIP;
  const classifier = c.method !== "reconstruction" && v.domainClassifier.drifted;
  const reconstruction = c.method !== "domain_classifier" && v.reconstruction.drifted;
  const parts = [
    c.method !== "reconstruction" ? `domain classifier AUC ${fmt(v.domainClassifier.auc)}${v.domainClassifier.drifted ? " (drifted)" : ""}` : null,
    c.method !== "domain_classifier" ? `reconstruction error ${fmt(v.reconstruction.error)} (upper ${fmt(v.reconstruction.upper)})` : null,
  ].filter((part): part is string => part !== null);
  const top = v.domainClassifier.topFeatures.slice(0, 3);
  const e: Evidence = {
    window,
    from: v.computedAt,
    to: v.computedAt,
    value: c.method === "reconstruction" ? v.reconstruction.error : v.domainClassifier.auc,
    threshold: c.method === "reconstruction" ? v.reconstruction.upper : 0.55,
    summary: `features drifting together over ${v.rows} recent rows: ${parts.join("; ")}${top.length ? `; moving most: ${top.join(", ")}` : ""}`,
    baseline: null,
    features: [],
  };
  return { breached: classifier || reconstruction, evidence: e };
}

function embeddingDrift(c: Extract<RuleCondition, { kind: "embedding_drift" }>, m: MonitorMetrics, window: AlertRule["window"]): Verdict {
  const method = c.method ?? "model";
  const watched = (m.embeddings ?? []).filter((v) => c.features === undefined || c.features.includes(v.feature));
  if (watched.length === 0) return SKIP;
  const drifting = watched.filter((v) => v.methods[method].drifted);
  const worst = [...watched].sort((a, b) => b.methods[method].score / b.methods[method].threshold - a.methods[method].score / a.methods[method].threshold)[0]!;
  const shown = drifting.length > 0 ? drifting : [worst];
  const e: Evidence = {
    window,
    from: worst.computed_at,
    to: worst.computed_at,
    value: worst.methods[method].score,
    threshold: worst.methods[method].threshold,
    summary: `embedding drift (${method}): ${shown.map((v) => `${v.feature} ${fmt(v.methods[method].score)} (threshold ${fmt(v.methods[method].threshold)}, ${v.rows.current} recent vectors)`).join("; ")}`,
    baseline: null,
    features: drifting.map((v) => ({ feature: v.feature, method: `embedding_${method}`, score: v.methods[method].score, threshold: v.methods[method].threshold })),
  };
  return { breached: drifting.length > 0, evidence: e };
}

export function checkRule(rule: AlertRule, metrics: MonitorMetrics, now: number): Verdict {
  const c = rule.condition;
  if (c.kind === "no_data") return noData(c, metrics, now, rule.window);
  if (c.kind === "multivariate") return multivariate(c, metrics, rule.window);
  if (c.kind === "embedding_drift") return embeddingDrift(c, metrics, rule.window);
  const w = metrics.windows.find((x) => x.window === rule.window);
  if (!w) return SKIP;
  switch (c.kind) {
    case "feature_drift": return featureDrift(c, w);
    case "dataset_drift": return datasetDrift(c, w);
    case "prediction_drift": return predictionDrift(c, w);
    case "performance": return performance(c, w);
    case "data_quality": return dataQuality(c, w);
    case "latency": return latency(c, w);
    case "volume": return volume(c, w);
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}
