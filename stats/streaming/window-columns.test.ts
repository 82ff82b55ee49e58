import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { drawLabels, drawSample } from "../testing/arith-samples.ts";
import { mulberry32 } from "../testing/rng.ts";
import { MISSING_CODE, type CategoricalColumn, type ColumnBatch, type NumericalColumn } from "./columns.ts";
import { WindowState } from "./window.ts";

interface Row {
  features: Record<string, unknown>;
  prediction: unknown;
}

/** Events with missing cells, labels the reference never saw, and an extra column. */
function traffic(seed: number, n: number): Row[] {
  const rand = mulberry32(seed);
  const x = drawSample({ shape: "normal", seed, n, shift: 0.3 });
  const c = drawLabels(seed + 1, n, ["red", "green", "blue", "mauve", "teal"], [5, 3, 2, 1, 1]);
  return Array.from(x, (xi, i) => ({
    features: {
      x: rand() < 0.05 ? null : xi,
      c: rand() < 0.05 ? null : c[i],
      // Numerical in the profile but sent as labels: counted through the slow path.
      z: rand() < 0.1 ? "not a number" : String(Math.floor(rand() * 5)),
      extra: 1,
    },
    prediction: rand() < 0.5 ? "yes" : "no",
  }));
}

/** The same rows as a column batch, codes in order of first appearance. */
function columns(rows: readonly Row[]): ColumnBatch {
  const x: NumericalColumn = { kind: "numerical", name: "x", values: Float64Array.from(rows, (r) => (r.features.x === null ? Number.NaN : (r.features.x as number))) };
  const coded = (name: string): CategoricalColumn => {
    const dictionary: string[] = [];
    const codes = Int32Array.from(rows, (r) => {
      const label = r.features[name];
      if (label === null) return MISSING_CODE;
      let code = dictionary.indexOf(label as string);
      if (code < 0) code = dictionary.push(label as string) - 1;
      return code;
    });
    return { kind: "categorical", name, codes, dictionary };
  };
  const extra: NumericalColumn = { kind: "numerical", name: "extra", values: new Float64Array(rows.length).fill(1) };
  return { length: rows.length, features: [x, coded("c"), coded("z"), extra], predictions: rows.map((r) => r.prediction) };
}

/**
 * Everything a window counts, apart from the KLL sketches' internal state: each sketch
 * draws its own coin-flip seed, so two windows never share sketch bytes; their counts
 * must still agree.
 */
function counts(window: WindowState) {
  const feature = (f: WindowState["features"][number]) =>
    f.kind === "numerical"
      ? { bins: [...f.bins], moments: f.moments.toJSON(), typeViolations: f.typeViolations, below: f.belowRange, above: f.aboveRange, sketched: f.sketch.n }
      : { cells: [...f.cells], moments: { ...f.moments }, unlisted: [...f.unlisted], overflow: f.unlistedOverflow };
  const p = window.presence;
  return {
    rows: window.rows,
    features: window.features.map(feature),
    prediction: window.prediction === null ? null : feature(window.prediction),
    presence: { absent: [...p.absent], missing: p.rowsMissingFeatures, unknownRows: p.rowsWithUnknownFeatures, unknown: [...p.unknown] },
  };
}

const reference = Array.from(drawSample({ shape: "normal", seed: 1, n: 3000 }), (x, i) => ({
  x,
  c: ["red", "green", "blue"][i % 3],
  z: i % 5,
  absent_in_traffic: i % 7,
  p: i % 2 === 0 ? "yes" : "no",
}));
const profile = buildProfile(reference, { prediction: "p" });
// Without the feature traffic never has, so only the rows that lack "x" lack a feature.
const tidyProfile = buildProfile(reference.map(({ absent_in_traffic: _, ...rest }) => rest), { prediction: "p" });

/**
 * Events where some lack the key "x" entirely and some carry keys outside the batch's
 * columns ("promo", and "p", the prediction's own name, which is not flagged), as column
 * batches carry them: absentRows per column, unknownRows/unknownKeys.
 */
function ragged(seed: number, n: number): { rows: Row[]; batch: ColumnBatch } {
  const rand = mulberry32(seed);
  const rows = traffic(seed, n).map((r) => {
    const features: Record<string, unknown> = { ...r.features };
    delete features.extra; // no column outside the profile: rows with unknown keys are counted one by one
    if (rand() < 0.1) delete features.x;
    if (rand() < 0.2) features.promo = "yes";
    if (rand() < 0.1) features.p = "yes";
    return { features, prediction: r.prediction };
  });
  const all = columns(rows.map((r) => ({ ...r, features: { ...r.features, x: r.features.x ?? null } })));
  const plain = { ...all, features: all.features.filter((c) => c.name !== "extra") };
  const absentX = Int32Array.from(rows.flatMap((r, i) => ("x" in r.features ? [] : [i])));
  const unknown = rows.flatMap((r, i) => Object.keys(r.features).filter((k) => k === "promo" || k === "p").map((k) => [i, k] as const));
  return {
    rows,
    batch: {
      ...plain,
      absentRows: [absentX, null, null],
      unknownRows: Int32Array.from(unknown, ([i]) => i),
      unknownKeys: unknown.map(([, k]) => k),
    },
  };
}

describe("WindowState.updateColumns", () => {
  it("counts absent keys and keys outside the columns as updateRow does, for all rows or a selection", () => {
    const { rows, batch } = ragged(11, 3000);
    const picked = Int32Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 4 !== 0);
    for (const selection of [null, picked]) {
      const byRow = new WindowState(tidyProfile);
      for (const i of selection ?? rows.keys()) byRow.updateRow(rows[i]!.features, rows[i]!.prediction);
      const byColumn = new WindowState(tidyProfile);
      byColumn.updateColumns(batch, selection);
      expect(counts(byColumn)).toEqual(counts(byRow));
      const lacking = selection === null ? batch.absentRows![0]!.length : [...batch.absentRows![0]!].filter((r) => r % 4 !== 0).length;
      expect(byColumn.presence.rowsMissingFeatures).toBe(lacking);
      expect(byColumn.presence.absent[0]).toBeGreaterThan(0);
      expect(byColumn.presence.unknown.get("promo")).toBeGreaterThan(0);
      expect(byColumn.presence.unknown.has("p")).toBe(false);
      expect(byColumn.presence.rowsWithUnknownFeatures).toBe(byColumn.presence.unknown.get("promo"));
    }
  });

  it("counts a column batch exactly as updateRow counts its events", () => {
    const rows = traffic(7, 4000);
    const byRow = new WindowState(profile);
    for (const r of rows) byRow.updateRow(r.features, r.prediction);
    const byColumn = new WindowState(profile);
    byColumn.updateColumns(columns(rows), null);
    expect(byColumn.rows).toBe(4000);
    expect(byColumn.presence.absent[3]).toBe(4000);
    expect(byColumn.presence.unknown.get("extra")).toBe(4000);
    expect(counts(byColumn)).toEqual(counts(byRow));
  });

  it("counts only the selected rows", () => {
    const rows = traffic(8, 1000);
    const picked = Int32Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 3 === 1);
    const byRow = new WindowState(profile);
    for (const i of picked) byRow.updateRow(rows[i]!.features, rows[i]!.prediction);
    const byColumn = new WindowState(profile);
    byColumn.updateColumns(columns(rows), picked);
    expect(byColumn.rows).toBe(picked.length);
    expect(counts(byColumn)).toEqual(counts(byRow));
  });

  it("ignores an empty selection", () => {
    const window = new WindowState(profile);
    window.updateColumns(columns(traffic(9, 10)), new Int32Array(0));
    expect(window.rows).toBe(0);
    expect(window.features.every((f) => f.moments.missing === 0)).toBe(true);
  });
});
