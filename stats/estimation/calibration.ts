// A baseline's score calibration (the profile's `calibration`): pairs of a probability
// score and a binary actual, fitted with isotonic regression (isotonic.ts) and compacted.

import { calibrate, compactIsotonic, fitIsotonic, type IsotonicFit } from "./isotonic.ts";

/** Fewer labelled rows than this give a map too coarse to trust; the estimate then uses raw scores. */
export const MIN_CALIBRATION_ROWS = 100;

export interface CalibrationMap {
  x: number[];
  y: number[];
  /** Labelled rows the map was fitted on. */
  rows: number;
}

/** 1 / 0 for a binary actual (0/1, false/true, as numbers, booleans or text), undefined otherwise. */
export function binaryActual(value: unknown): 0 | 1 | undefined {
  if (value === 1 || value === true || value === "1" || value === "true") return 1;
  if (value === 0 || value === false || value === "0" || value === "false") return 0;
  return undefined;
}

/**
 * The calibration map of the rows holding a score in [0, 1] and a binary actual, or the
 * reason there is none (too few such rows, or only one class among them).
 */
export function fitCalibration(scores: ArrayLike<unknown>, actuals: ArrayLike<unknown>): CalibrationMap | { reason: string } {
  const pairedScores: number[] = [];
  const labels: number[] = [];
  const n = Math.min(scores.length, actuals.length);
  for (let i = 0; i < n; i++) {
    const raw = scores[i];
    const score = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
    const actual = binaryActual(actuals[i]);
    if (actual === undefined || !(score >= 0 && score <= 1)) continue;
    pairedScores.push(score);
    labels.push(actual);
  }
  if (pairedScores.length < MIN_CALIBRATION_ROWS) {
    return { reason: `${pairedScores.length} rows have both a score in [0, 1] and a binary actual; at least ${MIN_CALIBRATION_ROWS} are needed` };
  }
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) return { reason: "every actual is the same class, so nothing can be calibrated" };
  const fit = compactIsotonic(fitIsotonic(Float64Array.from(pairedScores), Uint8Array.from(labels)));
  return { x: Array.from(fit.x), y: Array.from(fit.y), rows: pairedScores.length };
}

/** The map as a function of the score. */
export function calibrator(map: Pick<CalibrationMap, "x" | "y">): (score: number) => number {
  const fit: IsotonicFit = { x: Float64Array.from(map.x), y: Float64Array.from(map.y) };
  return (score) => calibrate(fit, score);
}
