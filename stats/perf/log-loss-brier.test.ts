import { describe, expect, it } from "vitest";
import { LogLoss } from "./log-loss.ts";
import { BrierScore } from "./brier.ts";
import fixture from "./fixtures/perf.json" with { type: "json" };

const rel = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(1e-9);

function rowOf(labels: readonly string[], probs: readonly number[]): Record<string, number> {
  return Object.fromEntries(labels.map((l, k) => [l, probs[k]!]));
}

describe("LogLoss and BrierScore", () => {
  it("are NaN when empty", () => {
    expect(Number.isNaN(new LogLoss().value())).toBe(true);
    expect(Number.isNaN(new BrierScore().value())).toBe(true);
  });

  it("match the numpy references on binary data (with p = 0 and 1 clipped), merged from parts", () => {
    const b = fixture.binary;
    const ll = [new LogLoss(), new LogLoss()];
    const br = [new BrierScore(), new BrierScore()];
    b.y.forEach((y, i) => {
      ll[i % 2]!.updateBinary(y, b.p[i]!);
      br[i % 2]!.updateBinary(y, b.p[i]!);
    });
    ll[0]!.merge(ll[1]!);
    br[0]!.merge(br[1]!);
    rel(ll[0]!.value(), b.logLoss);
    rel(br[0]!.value(), b.brier);
    expect(ll[0]!.n).toBe(b.y.length);
  });

  it("match the numpy references on 4-class data", () => {
    const mc = fixture.multiclass;
    const ll = new LogLoss();
    const br = new BrierScore();
    mc.y.forEach((y, i) => {
      const row = rowOf(mc.labels, mc.probs[i]!);
      ll.updateMulticlass(y, row);
      br.updateMulticlass(y, row);
    });
    rel(ll.value(), mc.logLoss);
    rel(br.value(), mc.brier);
  });

  it("score perfect, uninformative and inverted forecasts as their formulas say", () => {
    const perfect = new LogLoss();
    const inverted = new BrierScore();
    const coin = new BrierScore();
    for (const y of [0, 1, 1, 0]) {
      perfect.updateBinary(y, y);
      inverted.updateBinary(y, 1 - y);
      coin.updateBinary(y, 0.5);
    }
    expect(perfect.value()).toBeCloseTo(-Math.log(1 - 2 ** -52), 20);
    expect(inverted.value()).toBe(1);
    expect(coin.value()).toBe(0.25);
    const clipped = new LogLoss();
    clipped.updateBinary(1, 0);
    expect(clipped.value()).toBeCloseTo(52 * Math.LN2, 10); // −ln(2^−52)
    const multi = new BrierScore();
    multi.updateMulticlass("c", { a: 0.5, b: 0.5 }); // c absent: (0.5)² + (0.5)² + 1
    expect(multi.value()).toBe(1.5);
    const unnormalized = new LogLoss();
    unnormalized.updateMulticlass("a", { a: 2, b: 2 });
    expect(unnormalized.value()).toBeCloseTo(Math.LN2, 14);
  });

  it("reject bad inputs and round-trip through versioned JSON", () => {
    const ll = new LogLoss();
    expect(() => ll.updateBinary(2, 0.5)).toThrow("binary label must be 0, 1, true or false: 2");
    expect(() => ll.updateBinary(1, 1.5)).toThrow("probability must be within [0, 1]: 1.5");
    expect(() => ll.updateBinary(1, Number.NaN)).toThrow("probability must be within [0, 1]");
    expect(() => ll.updateMulticlass("a", { a: 0, b: 0 })).toThrow("probabilities sum to 0");
    expect(() => ll.updateMulticlass("a", { a: -1, b: 2 })).toThrow("must be finite and >= 0");
    ll.updateBinary(true, 0.8);
    ll.updateBinary(false, 0.3);
    const back = LogLoss.fromJSON(JSON.parse(JSON.stringify(ll)));
    expect(back.value()).toBe(ll.value());
    expect(() => LogLoss.fromJSON({ version: 9, n: 1, sum: 1 })).toThrow("unsupported log loss version 9");
    expect(() => BrierScore.fromJSON({ version: 1, n: 1.5, sum: 1 })).toThrow("n must be a non-negative integer");
    expect(() => BrierScore.fromJSON({ version: 1, n: 1, sum: -1 })).toThrow("sum must be >= 0");
    const br = new BrierScore();
    br.updateBinary(1, 0.9);
    expect(BrierScore.fromJSON(br.toJSON()).value()).toBe(br.value());
  });

  it("keep their own JSON version and name on one shared mean accumulator, and never merge into each other", () => {
    const ll = new LogLoss();
    const br = new BrierScore();
    ll.updateBinary(1, 0.5);
    br.updateBinary(1, 0.5);
    expect(ll.toJSON()).toEqual({ version: 1, n: 1, sum: -Math.log(0.5) });
    expect(br.toJSON()).toEqual({ version: 1, n: 1, sum: 0.25 });
    expect(() => BrierScore.fromJSON({ version: 2, n: 1, sum: 1 })).toThrow("unsupported brier score version 2");
    expect(() => LogLoss.fromJSON({ version: 1, n: -1, sum: 1 })).toThrow("log loss: n must be a non-negative integer");
    // Checked by the type checker (npm run typecheck): merge takes the same metric only.
    // @ts-expect-error a log loss is not a Brier score
    void (() => br.merge(ll));
  });
});
