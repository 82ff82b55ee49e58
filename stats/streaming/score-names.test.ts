// The streaming scores and the batch stattests share one identity (StatTestId): these
// checks keep the two families' names, files and kinds in step.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getTest, testIds } from "../drift/registry.ts";
import { STAT_TEST_IDS, isStatTestId, statTestFile } from "../kernel/stat-test-id.ts";
import { CATEGORICAL_SCORES, NUMERICAL_SCORES, SCORE_TEST_IDS } from "./score-names.ts";
import type { ScoreName } from "./score-names.ts";

const scores = [...new Set<ScoreName>([...NUMERICAL_SCORES, ...CATEGORICAL_SCORES])];
const batch = new Set<string>(testIds());

describe("streaming score names", () => {
  it("map every score, and only scores, to a StatTestId", () => {
    expect(Object.keys(SCORE_TEST_IDS).sort()).toEqual([...scores].sort());
    for (const id of Object.values(SCORE_TEST_IDS)) expect(isStatTestId(id)).toBe(true);
  });

  it("keep their published names; only js, wasserstein_normed and chi_square differ from their id", () => {
    const renamed = Object.entries(SCORE_TEST_IDS).filter(([name, id]) => name !== id);
    expect(renamed).toEqual([
      ["js", "jensenshannon"],
      ["wasserstein_normed", "wasserstein"],
      ["chi_square", "chisquare"],
    ]);
  });

  it("list the batch registry's tests first, in its order, then the streaming-only ones", () => {
    expect(STAT_TEST_IDS.slice(0, batch.size)).toEqual(testIds());
    const streamingOnly = STAT_TEST_IDS.slice(batch.size);
    expect(streamingOnly.every((id) => Object.values(SCORE_TEST_IDS).includes(id))).toBe(true);
  });

  it("live in files named after their id, in both families", () => {
    for (const id of Object.values(SCORE_TEST_IDS)) {
      expect(existsSync(new URL(`./scores/${statTestFile(id)}`, import.meta.url)), `scores/${statTestFile(id)}`).toBe(true);
    }
    for (const id of testIds()) {
      expect(existsSync(new URL(`../drift/stattests/${statTestFile(id)}`, import.meta.url)), `stattests/${statTestFile(id)}`).toBe(true);
    }
  });

  it("apply to kinds the batch test of the same id also takes", () => {
    const kindsOf = (name: ScoreName) => [
      ...((NUMERICAL_SCORES as readonly string[]).includes(name) ? ["numerical"] : []),
      ...((CATEGORICAL_SCORES as readonly string[]).includes(name) ? ["categorical"] : []),
    ];
    for (const name of scores) {
      const id = SCORE_TEST_IDS[name];
      if (!batch.has(id)) continue;
      for (const kind of kindsOf(name)) expect(getTest(id).kinds, `${name} (${id}) on ${kind}`).toContain(kind);
    }
  });
});
