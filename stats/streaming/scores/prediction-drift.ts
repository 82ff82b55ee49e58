// Prediction drift: the model output's distribution in the live window against the
// reference profile's prediction column. Scores and bounds are those of the feature
// scores they reuse:
//   numeric outputs (scores, regression values): PSI and Jensen-Shannon distance on
//     the profile's fixed bins (exact given the bins; see psi.ts, jensenshannon.ts);
//   labels (classes): L∞ and chi-square on the label cells (exact given the cells;
//     see l-infinity.ts, chisquare.ts). L∞ is SageMaker's and Vertex's default.

import type { Profile } from "../../profile/schema.ts";
import { referenceCells } from "../reference-cells.ts";
import type { WindowState } from "../window.ts";
import { chiSquare } from "./chisquare.ts";
import type { ChiSquareResult } from "./chisquare.ts";
import { jensenShannon } from "./jensenshannon.ts";
import { lInfinity } from "./l-infinity.ts";
import { psi } from "./psi.ts";

export type PredictionDrift =
  | { kind: "numerical"; count: number; psi: number; js: number }
  | { kind: "categorical"; count: number; l_infinity: number; chi_square: ChiSquareResult }
  | { kind: "numerical" | "categorical"; count: 0; reason: string };

/** Null when the profile has no prediction column. */
export function predictionDrift(profile: Profile, window: WindowState): PredictionDrift | null {
  const reference = profile.prediction;
  const current = window.prediction;
  if (reference === null || current === null) return null;
  const count = current.moments.count;
  if (count === 0) return { kind: reference.kind, count: 0, reason: "no predictions in window" };
  if (reference.kind === "numerical" && current.kind === "numerical") {
    const cells = Array.from(current.bins);
    return { kind: "numerical", count, psi: psi(referenceCells(reference), cells), js: jensenShannon(referenceCells(reference), cells) };
  }
  if (reference.kind === "categorical" && current.kind === "categorical") {
    const cells = Array.from(current.cells);
    return { kind: "categorical", count, l_infinity: lInfinity(referenceCells(reference), cells), chi_square: chiSquare(referenceCells(reference), cells) };
  }
  throw new Error("prediction window kind does not match the profile");
}
