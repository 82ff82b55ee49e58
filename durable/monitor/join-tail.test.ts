import { describe, expect, it } from "vitest";
import { Tail } from "./join-tail.ts";

describe("the join index's in-memory tail", () => {
  it("finds every location of a hash, held once or more, past growth from its smallest size", () => {
    const tail = new Tail();
    // 5,000 entries: the table starts at 1,024 slots and grows at half full.
    for (let loc = 1; loc <= 5000; loc++) tail.add(2 ** 40 + (loc % 2500) * 7919, loc);
    expect(tail.size).toBe(5000);
    const out: { h: number; loc: number }[] = [];
    tail.find(2 ** 40 + 17 * 7919, out);
    expect(out.map((c) => c.loc).sort((a, b) => a - b)).toEqual([17, 2517]);
    out.length = 0;
    tail.find(12345, out);
    expect(out).toEqual([]);
  });

  it("finds hashes whose low bits collide (one probe run), and forgets one entry of a hash held twice", () => {
    const tail = new Tail();
    // Same low 32 bits: the same home slot, so they share one run of probes.
    const a = 2 ** 32 * 5 + 99;
    const b = 2 ** 32 * 9 + 99;
    tail.add(a, 1);
    tail.add(b, 2);
    tail.add(a, 3);
    expect(tail.remove(a, 1)).toBe(true);
    expect(tail.remove(a, 1)).toBe(false);
    expect(tail.remove(b, 3)).toBe(false);
    const out: { h: number; loc: number }[] = [];
    tail.find(a, out);
    tail.find(b, out);
    expect(out).toEqual([
      { h: a, loc: 3 },
      { h: b, loc: 2 },
    ]);
    expect(tail.size).toBe(2);
  });

  it("lists its entries sorted by hash, then location, without forgotten ones", () => {
    const tail = new Tail();
    tail.add(30, 4);
    tail.add(10, 9);
    tail.add(30, 2);
    tail.add(20, 5);
    tail.add(10, 1);
    tail.remove(20, 5);
    const { h, loc } = tail.sorted();
    expect(Array.from(h)).toEqual([10, 10, 30, 30]);
    expect(Array.from(loc)).toEqual([1, 9, 2, 4]);
  });

  it("holds nothing after clear, whether it keeps its arrays or gives them back", () => {
    const tail = new Tail();
    for (let loc = 1; loc <= 3000; loc++) tail.add(loc * 1_000_003, loc);
    tail.clear();
    expect(tail.size).toBe(0);
    const out: { h: number; loc: number }[] = [];
    tail.find(5 * 1_000_003, out);
    expect(out).toEqual([]);
    tail.add(7, 70);
    tail.clear(true);
    tail.find(7, out);
    expect(out).toEqual([]);
    expect(tail.sorted().h.length).toBe(0);
  });
});
