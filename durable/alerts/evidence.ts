// What a rule saw when it evaluated: the value it compared, the bound, and per-feature
// scores. Carried on alert events into Postgres, notifications and retraining payloads.
import type { WindowName } from "./metrics.ts";

export interface FeatureEvidence {
  feature: string;
  method?: string;
  score: number;
  threshold: number;
}

export interface Evidence {
  window: WindowName;
  /** Unix ms of the window's bounds. */
  from: number;
  to: number;
  /** The number the rule compared (a score, a share, a rate, a latency, a ratio, minutes). */
  value: number;
  threshold: number;
  summary: string;
  baseline?: string | null;
  /** The features behind the firing, worst first. */
  features: FeatureEvidence[];
}

export interface Verdict {
  /** null when the rule cannot be evaluated on this tick (no data for its window, no baseline). */
  breached: boolean | null;
  evidence: Evidence | null;
}
