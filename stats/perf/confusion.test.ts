import { describe, expect, it } from "vitest";
import { ConfusionMatrix } from "./confusion.ts";
import fixture from "./fixtures/perf.json" with { type: "json" };

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-12);

describe("ConfusionMatrix", () => {
  it("is empty with NaN averages", () => {
    const m = new ConfusionMatrix();
    expect(m.n).toBe(0);
    expect(Number.isNaN(m.accuracy())).toBe(true);
    expect(Number.isNaN(m.report().macro.f1)).toBe(true);
  });

  it("matches the numpy (sklearn-formula) reference on binary data, merged from parts", () => {
    const b = fixture.binary;
    const parts = [new ConfusionMatrix(), new ConfusionMatrix(), new ConfusionMatrix()];
    b.y.forEach((y, i) => parts[i % 3]!.update(y, b.p[i]! >= b.threshold ? 1 : 0));
    const m = new ConfusionMatrix();
    for (const p of parts) m.merge(p);
    const pos = m.classMetrics(1);
    expect([pos.tp, pos.fp, pos.fn, pos.tn]).toEqual([b.tp, b.fp, b.fn, b.tn]);
    close(m.accuracy(), b.accuracy);
    close(pos.precision, b.precision);
    close(pos.recall, b.recall);
    close(pos.f1, b.f1);
    expect(m.labels()).toEqual(["0", "1"]);
  });

  it("matches per-class, macro, micro and weighted references on 4-class data", () => {
    const mc = fixture.multiclass;
    const m = new ConfusionMatrix();
    mc.y.forEach((y, i) => {
      const row = mc.probs[i]!;
      let best = 0;
      for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
      m.update(y, mc.labels[best]!);
    });
    const r = m.report();
    close(r.accuracy, mc.accuracy);
    for (const label of mc.labels) {
      const want = mc.perClass[label as keyof typeof mc.perClass];
      const got = r.perClass[label]!;
      close(got.precision, want.precision);
      close(got.recall, want.recall);
      close(got.f1, want.f1);
      expect(got.support).toBe(want.support);
    }
    for (const avg of ["macro", "micro", "weighted"] as const) {
      for (const key of ["precision", "recall", "f1"] as const) close(r[avg][key], mc[avg][key]);
    }
  });

  it("gives 1 for identical labels, 0 for fully swapped ones, and 0 for 0/0 ratios", () => {
    const same = new ConfusionMatrix();
    const swapped = new ConfusionMatrix();
    for (const y of ["a", "b", "a", "c"]) {
      same.update(y, y);
      swapped.update(y, y === "a" ? "b" : "a");
    }
    expect(same.report().macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(swapped.accuracy()).toBe(0);
    expect(swapped.classMetrics("c")).toMatchObject({ tp: 0, fp: 0, fn: 1, precision: 0, recall: 0, f1: 0 });
    // A label only ever predicted still counts as a class, as in sklearn.
    const extra = new ConfusionMatrix();
    extra.update("a", "z");
    expect(extra.labels()).toEqual(["a", "z"]);
    expect(extra.report().perClass.z).toMatchObject({ support: 0, fp: 1, precision: 0 });
  });

  it("accepts weights, round-trips through JSON and validates it", () => {
    const m = new ConfusionMatrix();
    m.update(true, false, 3);
    m.update(true, true);
    expect(m.count(true, false)).toBe(3);
    expect(() => m.update("a", "b", 0)).toThrow("weight must be a positive integer");
    const json = JSON.parse(JSON.stringify(m));
    expect(json).toEqual({ version: 1, cells: [["true", "false", 3], ["true", "true", 1]] });
    expect(ConfusionMatrix.fromJSON(json).report()).toEqual(m.report());
    expect(() => ConfusionMatrix.fromJSON({ version: 2, cells: [] })).toThrow("unsupported confusion matrix version 2");
    expect(() => ConfusionMatrix.fromJSON({ version: 1, cells: [["a", "b", -1]] })).toThrow("count must be a non-negative integer");
    expect(() => ConfusionMatrix.fromJSON({ version: 1, cells: [["a", "b", 1], ["a", "b", 2]] })).toThrow("duplicate cell");
  });
});
