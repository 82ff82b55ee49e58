// Hellinger distance on the profile's fixed cells.
//
// Definition (as Evidently's categorical `hellinger`, applied to the fixed bins):
//   H = √(1 − clip(BC, 0, 1)),  BC = Σ √(p_i·q_i)  (Bhattacharyya coefficient),
// p and q the reference and current proportions. Range [0, 1]; no 1/√2 factor,
// matching Evidently. No zero filling: a cell empty on either side adds 0 to BC.
// Error bound: exact given the bins (the window counts them exactly); matches the
// numpy value on the same bins to 1e-9 in the tests. Note Evidently's *numerical*
// hellinger uses Sturges bins over ref ∪ cur, which a live window cannot know in
// advance; the streaming score uses the profile's bins instead.

import { checkSameCells, proportions } from "../../kernel/proportions.ts";

export function hellinger(referenceWeights: readonly number[], currentWeights: readonly number[]): number {
  checkSameCells(referenceWeights, currentWeights);
  const p = proportions(referenceWeights, "reference");
  const q = proportions(currentWeights, "current");
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt((p[i] as number) * (q[i] as number));
  return Math.sqrt(1 - Math.min(1, Math.max(0, bc)));
}
