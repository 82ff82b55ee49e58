import { describe, it, expect } from "vitest";
import { formatScore, formatTable } from "./format-table.ts";
import type { DriftReport } from "../stats/drift/types.ts";

const report: DriftReport = {
  columns: [
    { column: "wind", kind: "numerical", test: "ks", score: 0.0123456, threshold: 0.05, drifted: true, direction: "p_value", default: true },
    { column: "wind", kind: "numerical", test: "psi", score: 0.5, threshold: 0.1, drifted: true, direction: "distance", default: false },
    { column: "city_name", kind: "categorical", test: "chisquare", score: 3.2e-15, threshold: 0.05, drifted: true, direction: "p_value", default: true },
  ],
  not_applicable: [{ column: "city_name", test: "g_test", reason: "needs equal sample sizes" }],
  dataset: {
    number_of_columns: 2,
    number_of_drifted_columns: 2,
    share_of_drifted_columns: 1,
    drift_share_threshold: 0.5,
    dataset_drift: true,
  },
};

describe("formatTable", () => {
  it("prints aligned rows, the dataset summary and the not-applicable list", () => {
    expect(formatTable(report)).toBe(
      [
        "column     kind         test           score  threshold  drifted",
        "wind       numerical    ks *         0.01235       0.05  yes",
        "wind       numerical    psi              0.5        0.1  yes",
        "city_name  categorical  chisquare *  3.2e-15       0.05  yes",
        "",
        "* the column's default test, which counts toward dataset drift",
        "",
        "Dataset drift: yes (2 of 2 columns drifted, share 1, threshold 0.5)",
        "",
        "Not applicable:",
        "  city_name  g_test  needs equal sample sizes",
        "",
      ].join("\n"),
    );
  });
});

describe("formatScore", () => {
  it.each([
    [0, "0"],
    [0.0123456, "0.01235"],
    [123456.7, "123500"],
    [1.23456e-20, "1.235e-20"],
    [0.0000021539, "2.154e-6"],
    [0.00012346, "0.0001235"],
  ])("%s -> %s", (score, text) => {
    expect(formatScore(score)).toBe(text);
  });
});
