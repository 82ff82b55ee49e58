import { describe, expect, it } from "vitest";
import { CounterHeap } from "./counter-heap.ts";
import { mulberry32 } from "../testing/rng.ts";

describe("CounterHeap", () => {
  it("pops counts in ascending order after random pushes, increments and replacements", () => {
    const u = mulberry32(4);
    const heap = new CounterHeap();
    const truth = new Map<string, number>();
    for (let i = 0; i < 500; i++) {
      const key = `k${i}`;
      const c = Math.floor(u() * 100);
      heap.push(key, c, 0);
      truth.set(key, c);
    }
    for (let i = 0; i < 300; i++) {
      const key = `k${Math.floor(u() * 500)}`;
      const slot = heap.slotOf(key);
      if (slot === undefined) continue;
      const add = Math.floor(u() * 50);
      heap.increment(slot, add);
      truth.set(key, truth.get(key)! + add);
    }
    const minBefore = Math.min(...truth.values());
    expect(heap.minCount()).toBe(minBefore);
    expect(heap.replaceMin("fresh", minBefore + 3, minBefore)).toBe(minBefore);
    expect(heap.slotOf("fresh")).toBeDefined();
    const popped: number[] = [];
    while (heap.size > 0) {
      const slotsOk = heap.keys.every((k, s) => heap.slotOf(k) === s);
      expect(slotsOk).toBe(true);
      popped.push(heap.popMin());
    }
    expect(popped.length).toBe(500);
    for (let i = 1; i < popped.length; i++) expect(popped[i]!).toBeGreaterThanOrEqual(popped[i - 1]!);
  });
});
