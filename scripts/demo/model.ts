// A credit-risk classifier for the demo: ten mixed applicant features drawn from a
// seeded generator, scored by a fixed logistic model, with the true label drawn from
// the same odds (so accuracy and AUC are realistic, not perfect). From the drift onset
// on, two features move the way they do when a lender enters a poorer market: incomes
// fall and card utilization rises. Everything else keeps its distribution, so the
// dashboard should flag exactly `income` and `utilization`.
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

export const DRIFTED_FEATURES = ["income", "utilization"] as const;
export const STABLE_FEATURES = [
  "age", "debt_ratio", "credit_lines", "months_employed", "num_inquiries", "employment_type", "region", "loan_purpose",
] as const;

export interface Applicant {
  income: number;
  age: number;
  debt_ratio: number;
  credit_lines: number;
  utilization: number;
  months_employed: number;
  num_inquiries: number;
  employment_type: string;
  region: string;
  loan_purpose: string;
}

export interface DemoEvent {
  prediction_id: string;
  timestamp: string;
  features: Applicant;
  prediction: 0 | 1;
  score: number;
  latency_ms: number;
}

export interface LabeledEvent {
  event: DemoEvent;
  /** Whether the applicant defaulted: revealed to Vigil only after the label delay. */
  actual: 0 | 1;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function weighted(uniform: () => number, choices: readonly (readonly [string, number])[]): string {
  let u = uniform();
  for (const [name, weight] of choices) {
    if (u < weight) return name;
    u -= weight;
  }
  return choices[choices.length - 1]![0];
}

const EMPLOYMENT = [["salaried", 0.62], ["self_employed", 0.18], ["contract", 0.12], ["unemployed", 0.08]] as const;
const REGIONS = [["north", 0.3], ["south", 0.25], ["east", 0.25], ["west", 0.2]] as const;
const PURPOSES = [["debt_consolidation", 0.35], ["home_improvement", 0.2], ["car", 0.18], ["education", 0.12], ["business", 0.15]] as const;
const EMPLOYMENT_LOGIT: Record<string, number> = { salaried: -0.3, self_employed: 0.1, contract: 0.25, unemployed: 0.9 };
const PURPOSE_LOGIT: Record<string, number> = { debt_consolidation: 0.2, home_improvement: -0.2, car: -0.1, education: 0, business: 0.35 };

/** The fixed logistic model's log-odds of default. */
export function logOdds(a: Applicant): number {
  return -1.6
    - 0.9 * ((a.income - 55_000) / 25_000)
    - 0.015 * (a.age - 40)
    + 2.2 * (a.debt_ratio - 0.32)
    - 0.04 * (a.credit_lines - 8)
    + 2.4 * (a.utilization - 0.3)
    - 0.004 * (a.months_employed - 48)
    + 0.18 * a.num_inquiries
    + (EMPLOYMENT_LOGIT[a.employment_type] ?? 0)
    + (PURPOSE_LOGIT[a.loan_purpose] ?? 0);
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Deterministic stream of scored applications: the n-th event depends only on the seed
 * and on n, never on timing. Events from index `onsetAt` on are drawn from the drifted
 * distribution.
 */
export function createGenerator(seed: number, onsetAt: number, idPrefix = `demo-${seed}`) {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  let n = 0;
  return function next(now: number): LabeledEvent {
    const drifted = n >= onsetAt;
    const features: Applicant = {
      income: round(Math.exp(Math.log(55_000) + 0.45 * normal()) * (drifted ? 0.6 : 1), 2),
      age: Math.round(clamp(42 + 12 * normal(), 21, 80)),
      debt_ratio: round(clamp(0.32 + 0.12 * normal(), 0, 1.5), 4),
      credit_lines: Math.max(0, Math.round(8 + 3 * normal())),
      utilization: round(drifted ? Math.min(1, 0.35 + 0.65 * uniform() ** 0.7) : uniform() ** 1.6, 4),
      months_employed: Math.round(-Math.log(1 - uniform()) * 48),
      num_inquiries: Math.floor(-Math.log(1 - uniform()) * 1.2),
      employment_type: weighted(uniform, EMPLOYMENT),
      region: weighted(uniform, REGIONS),
      loan_purpose: weighted(uniform, PURPOSES),
    };
    const score = sigmoid(logOdds(features));
    const actual: 0 | 1 = uniform() < score ? 1 : 0;
    const event: DemoEvent = {
      prediction_id: `${idPrefix}-${n}`,
      timestamp: new Date(now).toISOString(),
      features,
      prediction: score >= 0.5 ? 1 : 0,
      score: round(score, 6),
      latency_ms: round(6 + Math.exp(1.2 + 0.5 * normal()), 2),
    };
    n++;
    return { event, actual };
  };
}
