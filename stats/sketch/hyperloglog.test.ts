import { describe, expect, it } from "vitest";
import { HyperLogLog } from "./hyperloglog.ts";

// Golden bytes written out by hand from the layout in hyperloglog.ts, for p = 4 (m = 16).
// Sparse: registers 1 = 60 and 3 = 1 (set in the golden-bytes test below).
const GOLDEN_SPARSE = [0xc8, 2, 4, 1, 2, 0, 0, 0, 0x7c, 0, 0, 0xc1, 0, 0];
// Dense, registers 0..3 = 1, 2, 3, 4 (denseOfFour), 6 bits each from bit 0 of byte 4:
// 1 | 2 << 6 = 0x81, 2 >> 2 | 3 << 4 = 0x30, 3 >> 4 | 4 << 2 = 0x10, then nine zero bytes.
const GOLDEN_DENSE = [0xc8, 2, 4, 0, 0x81, 0x30, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0];
// The same sketches as version 1 wrote them, under DataSketches' HLL family id 0x07. The
// HLL is not stored by Vigil today, but its bytes are a published form: they keep decoding.
const GOLDEN_SPARSE_V1 = [0x07, 1, 4, 1, 2, 0, 0, 0, 0x7c, 0, 0, 0xc1, 0, 0];
const GOLDEN_DENSE_V1 = [0x07, 1, 4, 0, 0x81, 0x30, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** p = 4 with registers 0..3 set to ranks 1..4 (rank r ≤ 28: the first set bit after the index is bit 28 − r of hi). */
function denseOfFour(): HyperLogLog {
  const h = new HyperLogLog(4);
  for (let i = 0; i < 4; i++) h.updateHash(((i << 28) | (1 << (28 - (i + 1)))) >>> 0, 0);
  return h;
}

function hllOf(p: number, prefix: string, from: number, to: number): HyperLogLog {
  const h = new HyperLogLog(p);
  for (let i = from; i < to; i++) h.update(`${prefix}${i}`);
  return h;
}

describe("HyperLogLog", () => {
  it("validates p and reports the standard error 1.04/√m", () => {
    expect(() => new HyperLogLog(3)).toThrow("p must be >= 4 and <= 18: 3");
    expect(() => new HyperLogLog(19)).toThrow("p must be >= 4 and <= 18: 19");
    const h = new HyperLogLog();
    expect(h.p).toBe(14);
    expect(h.m).toBe(16384);
    expect(h.relativeStandardError()).toBeCloseTo(0.008125, 6);
  });

  it("estimates 0 when empty, and small counts almost exactly", () => {
    const h = new HyperLogLog();
    expect(h.isEmpty()).toBe(true);
    expect(h.estimate()).toBe(0);
    h.update("a");
    expect(h.estimate()).toBeCloseTo(1, 3);
    h.update("a");
    expect(h.estimate()).toBeCloseTo(1, 3); // duplicates do not count
    for (const n of [10, 100, 1000]) expect(Math.abs(hllOf(14, "s", 0, n).estimate() - n)).toBeLessThanOrEqual(Math.max(1, 0.01 * n));
  });

  it("is within 3·1.04/√m of the truth at 1e5, 3e5 and 1e6 distinct items (p = 14)", () => {
    const h = new HyperLogLog(14);
    let i = 0;
    for (const n of [100_000, 300_000, 1_000_000]) {
      for (; i < n; i++) h.update(`user-${i}`);
      const relative = h.estimate() / n - 1;
      expect(Math.abs(relative)).toBeLessThan(3 * h.relativeStandardError());
    }
    // Repeats change nothing.
    const before = h.estimate();
    for (let j = 0; j < 1000; j++) h.update(`user-${j}`);
    expect(h.estimate()).toBe(before);
  });

  it("has RMSE ≈ 1.04/√m and no bias across ranges, including 2.5m–5m (p = 8, 200 runs each)", () => {
    for (const n of [600, 1000, 5000]) {
      let sumSq = 0;
      let sum = 0;
      const runs = 200;
      for (let r = 0; r < runs; r++) {
        const e = hllOf(8, `run${r}/${n}/`, 0, n).estimate() / n - 1;
        sumSq += e * e;
        sum += e;
      }
      const sigma = 1.04 / Math.sqrt(256);
      const rmse = Math.sqrt(sumSq / runs);
      expect(rmse).toBeLessThan(1.3 * sigma);
      expect(rmse).toBeGreaterThan(0.5 * sigma); // the sketch is genuinely approximate
      expect(Math.abs(sum / runs)).toBeLessThan((3 * sigma) / Math.sqrt(runs));
    }
  });

  it("has RMSE ≈ 1.04/√m at 1e5 distinct items (p = 10, 20 runs)", () => {
    let sumSq = 0;
    for (let r = 0; r < 20; r++) {
      const e = hllOf(10, `big${r}-`, 0, 100_000).estimate() / 100_000 - 1;
      sumSq += e * e;
    }
    const sigma = 1.04 / Math.sqrt(1024);
    const rmse = Math.sqrt(sumSq / 20);
    // With 20 runs the RMSE itself has about 16% relative spread.
    expect(rmse).toBeGreaterThan(0.5 * sigma);
    expect(rmse).toBeLessThan(1.5 * sigma);
  });

  it("merges to the sketch of the union, whatever the overlap", () => {
    const a = hllOf(12, "u", 0, 60_000);
    const b = hllOf(12, "u", 40_000, 100_000);
    const whole = hllOf(12, "u", 0, 100_000);
    a.merge(b);
    expect(Array.from(a.registers())).toEqual(Array.from(whole.registers()));
    expect(Math.abs(a.estimate() / 100_000 - 1)).toBeLessThan(3 * a.relativeStandardError());
    const self = hllOf(12, "v", 0, 1000);
    const e = self.estimate();
    self.merge(self);
    expect(self.estimate()).toBe(e);
    expect(() => a.merge(new HyperLogLog(10))).toThrow("different p: 12 and 10");
  });

  it("serializes sparse when small and dense (6 bits per register) when large, round-tripping registers", () => {
    const small = hllOf(14, "x", 0, 50);
    const smallBytes = small.toBytes();
    expect(Array.from(smallBytes.subarray(0, 4))).toEqual([0xc8, 2, 14, 1]);
    expect(smallBytes.length).toBeLessThanOrEqual(8 + 3 * 50);
    const big = hllOf(14, "y", 0, 200_000);
    const bigBytes = big.toBytes();
    expect(Array.from(bigBytes.subarray(0, 4))).toEqual([0xc8, 2, 14, 0]);
    expect(bigBytes.length).toBe(4 + 12288);
    for (const h of [small, big, new HyperLogLog(4)]) {
      const back = HyperLogLog.fromBase64(h.toBase64());
      expect(Array.from(back.registers())).toEqual(Array.from(h.registers()));
      expect(back.estimate()).toBe(h.estimate());
    }
  });

  it("matches golden bytes for hand-set registers", () => {
    const h = new HyperLogLog(4);
    // index = top 4 bits of hi. hi = 0x10000000: index 1, rest 0 → 28 + clz32(lo = 1) + 1 = 60.
    h.updateHash(0x10000000, 1);
    // hi = 0x38000000: index 3, rest = 0x80000000 → rank 1.
    h.updateHash(0x38000000, 0);
    expect(Array.from(h.registers())).toEqual([0, 60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Sparse: count 2, then (1 << 6 | 60) = 0x7c and (3 << 6 | 1) = 0xc1, three bytes each.
    expect(Array.from(h.toBytes())).toEqual([...GOLDEN_SPARSE]);
    expect(Array.from(denseOfFour().toBytes())).toEqual([...GOLDEN_DENSE]);
  });

  it("writes Vigil's own family id 0xC8 and serial version 2, not DataSketches' HLL family 0x07", () => {
    const bytes = new HyperLogLog(4).toBytes();
    expect([bytes[0], bytes[1]]).toEqual([0xc8, 2]);
  });

  it("still decodes version 1 bytes (family 0x07), sparse and dense, and writes them back as version 2", () => {
    const sparse = HyperLogLog.fromBytes(Uint8Array.from(GOLDEN_SPARSE_V1));
    expect(Array.from(sparse.registers())).toEqual([0, 60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(sparse.toBytes())).toEqual([...GOLDEN_SPARSE]);
    const dense = HyperLogLog.fromBytes(Uint8Array.from(GOLDEN_DENSE_V1));
    expect(Array.from(dense.registers())).toEqual([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dense.estimate()).toBe(denseOfFour().estimate());
    expect(Array.from(dense.toBytes())).toEqual([...GOLDEN_DENSE]);
  });

  it("rejects foreign, future and corrupt bytes", () => {
    const good = hllOf(6, "z", 0, 3).toBytes();
    const patch = (at: number, v: number) => { const b = good.slice(); b[at] = v; return b; };
    expect(() => HyperLogLog.fromBytes(patch(0, 0x0f))).toThrow("not a HyperLogLog sketch: family byte 0x0F");
    expect(() => HyperLogLog.fromBytes(patch(1, 3))).toThrow("unsupported HyperLogLog serial version 3 for family 0xC8");
    // Each family has its one version: 0x07 only ever wrote 1, 0xC8 starts at 2.
    expect(() => HyperLogLog.fromBytes(patch(1, 1))).toThrow("unsupported HyperLogLog serial version 1 for family 0xC8");
    const legacy = Uint8Array.from(GOLDEN_SPARSE_V1);
    legacy[1] = 2;
    expect(() => HyperLogLog.fromBytes(legacy)).toThrow("unsupported HyperLogLog serial version 2 for family 0x07");
    expect(() => HyperLogLog.fromBytes(patch(2, 30))).toThrow("p must be >= 4 and <= 18: 30");
    expect(() => HyperLogLog.fromBytes(patch(3, 9))).toThrow("unknown encoding 9");
    expect(() => HyperLogLog.fromBytes(good.subarray(0, good.length - 1))).toThrow("does not match");
    const dense = hllOf(4, "d", 0, 1000).toBytes();
    expect(dense[3]).toBe(0);
    expect(() => HyperLogLog.fromBytes(dense.subarray(0, dense.length - 1))).toThrow("does not match");
  });
});

describe("HyperLogLog merge (four registers at a time)", () => {
  it("equals the register-wise maximum for every pair of register values", () => {
    const a = new HyperLogLog(8);
    const b = new HyperLogLog(8);
    // 256 registers: a cycles 0..61, b runs the other way, so every order and tie occurs.
    const rank = (index: number, r: number): [number, number] => {
      // hi: index in the top 8 bits; the rest chosen so that the rank is exactly r (1..57).
      if (r <= 24) return [((index << 24) | (1 << (24 - r))) >>> 0, 0];
      return [(index << 24) >>> 0, r === 57 ? 0 : 1 << (32 - (r - 24))];
    };
    const want: number[] = [];
    for (let i = 0; i < 256; i++) {
      const ra = i % 58;
      const rb = (255 - i) % 58;
      if (ra > 0) a.updateHash(...rank(i, ra));
      if (rb > 0) b.updateHash(...rank(i, rb));
      want.push(Math.max(ra, rb));
    }
    expect(Array.from(a.registers()).slice(0, 58)).toEqual(Array.from({ length: 58 }, (_, i) => i));
    a.merge(b);
    expect(Array.from(a.registers())).toEqual(want);
  });
});
