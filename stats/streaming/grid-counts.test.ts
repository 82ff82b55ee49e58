// GridCounts merge exactly: any split of a stream into parts, merged in any order and
// whichever form (cell log or dense array) each part is in, gives the single pass's counts.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/rng.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { GridCounts } from "./grid-counts.ts";

const EDGES = 50; // 51 cells: a part of more than 51 values is dense, a smaller one a log

function stream(n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Math.floor(rand() * (EDGES + 1)));
}

function counted(cells: number[]): GridCounts {
  const g = new GridCounts(EDGES);
  for (const c of cells) g.add(c);
  return g;
}

describe("GridCounts.merge", () => {
  it("merging many parts, small (logs) and large (dense), equals one pass over all of them", () => {
    const sizes = [5, 400, 0, 30, 1_000, 7, 52];
    const parts: number[][] = [];
    let seed = 1;
    for (const n of sizes) parts.push(stream(n, seed++));
    const whole = counted(parts.flat());
    const merged = new GridCounts(EDGES);
    for (const p of parts) merged.merge(counted(p));
    expect(merged.total).toBe(whole.total);
    expect(Array.from(merged.counts())).toEqual(Array.from(whole.counts()));
    // The counts always add up to the total (they did not when a dense array was densified again).
    expect(merged.counts().reduce((a, b) => a + b, 0)).toBe(merged.total);
  });

  it("a dense window merged into twice keeps what it held", () => {
    const a = counted(stream(300, 11));
    const before = Array.from(a.counts());
    const b = stream(200, 12);
    const c = stream(3, 13);
    a.merge(counted(b));
    a.merge(counted(c));
    const expected = counted([...stream(300, 11), ...b, ...c]);
    expect(Array.from(a.counts())).toEqual(Array.from(expected.counts()));
    expect(before.every((n, i) => (a.counts()[i] as number) >= n)).toBe(true);
  });

  it("parts read back from bytes merge like the originals, tail sums added", () => {
    const parts = [stream(20, 21), stream(500, 22), stream(60, 23)].map((cells, i) => {
      const g = counted(cells);
      g.below = i + 0.5;
      g.above = 2 * i;
      const out = new ByteWriter();
      g.write(out);
      return GridCounts.read(new ByteReader(out.finish()), EDGES);
    });
    const merged = new GridCounts(EDGES);
    for (const p of parts) merged.merge(p);
    const whole = counted([...stream(20, 21), ...stream(500, 22), ...stream(60, 23)]);
    expect(Array.from(merged.counts())).toEqual(Array.from(whole.counts()));
    expect(merged.below).toBe(0.5 + 1.5 + 2.5);
    expect(merged.above).toBe(0 + 2 + 4);
  });
});
