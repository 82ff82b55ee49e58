import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./queue.ts";

const same = (a: string, b: string) => a[0] === b[0];

describe("BoundedQueue", () => {
  it("drop-oldest: a full queue drops its oldest records and counts them; push never waits", () => {
    const q = new BoundedQueue<string>(3, "drop-oldest");
    for (const x of ["a1", "a2", "a3", "a4", "a5"]) expect(q.push(x)).toBeUndefined();
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(2);
    expect(q.take(10, same)).toEqual(["a3", "a4", "a5"]);
  });

  it("block: push past capacity resolves only once take() makes room, in order", async () => {
    const q = new BoundedQueue<string>(2, "block");
    q.push("a1");
    q.push("a2");
    let admitted = false;
    const waiting = q.push("a3")!.then(() => (admitted = true));
    await Promise.resolve();
    expect(admitted).toBe(false);
    expect(q.waiting).toBe(1);
    expect(q.take(1, same)).toEqual(["a1"]);
    await waiting;
    expect(admitted).toBe(true);
    expect(q.dropped).toBe(0);
    expect(q.take(10, same)).toEqual(["a2", "a3"]);
  });

  it("take: one group per batch, the others keep their order", () => {
    const q = new BoundedQueue<string>(10, "drop-oldest");
    for (const x of ["a1", "b1", "a2", "b2", "a3"]) q.push(x);
    expect(q.take(2, same)).toEqual(["a1", "a2"]);
    expect(q.take(10, same)).toEqual(["b1", "b2"]);
    expect(q.take(10, same)).toEqual(["a3"]);
    expect(q.take(10, same)).toEqual([]);
  });

  it("refuses a bad capacity or policy", () => {
    expect(() => new BoundedQueue(0, "block")).toThrow(/maxQueue must be an integer >= 1: 0/);
    expect(() => new BoundedQueue(5, "drop-newest" as never)).toThrow(/overflow must be/);
  });
});
