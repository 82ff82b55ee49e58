// The per-isolate key cache: an entry lives exactly its TTL, and the cap drops the oldest.
import { describe, expect, it } from "vitest";
import { TtlCache } from "./key-cache.ts";

describe("TtlCache", () => {
  it("answers until the entry's TTL ends, and not at that instant or after", () => {
    const cache = new TtlCache<string>(10);
    cache.set("k", "v", 1_000, 5_000);
    expect(cache.get("k", 5_000)).toBe("v");
    expect(cache.get("k", 5_999)).toBe("v");
    expect(cache.get("k", 6_000)).toBeUndefined();
    // An expired entry is gone, even for a clock read earlier.
    expect(cache.get("k", 5_500)).toBeUndefined();
    expect(cache.get("never")).toBeUndefined();
  });

  it("keeps a stored null or other falsy value as a hit", () => {
    const cache = new TtlCache<string | null | number>(10);
    cache.set("none", null, 1_000, 0);
    cache.set("zero", 0, 1_000, 0);
    expect(cache.get("none", 1)).toBeNull();
    expect(cache.get("zero", 1)).toBe(0);
  });

  it("uses the current time when none is given", () => {
    const cache = new TtlCache<string>(10);
    cache.set("fresh", "v", 60_000);
    cache.set("stale", "v", -1);
    expect(cache.get("fresh")).toBe("v");
    expect(cache.get("stale")).toBeUndefined();
    cache.set("past", "v", 60_000, Date.now() - 120_000);
    expect(cache.get("past")).toBeUndefined();
  });

  it("holds at most its cap, dropping the entry set longest ago (a set again counts as new)", () => {
    const cache = new TtlCache<number>(3);
    cache.set("a", 1, 1_000, 0);
    cache.set("b", 2, 1_000, 0);
    cache.set("c", 3, 1_000, 0);
    cache.set("a", 10, 1_000, 0); // a is now the newest; b the oldest
    expect(cache.get("b", 1)).toBe(2);
    cache.set("d", 4, 1_000, 0);
    expect(cache.get("b", 1)).toBeUndefined();
    expect([cache.get("a", 1), cache.get("c", 1), cache.get("d", 1)]).toEqual([10, 3, 4]);
  });

  it("replacing an entry at the cap drops nothing else", () => {
    const cache = new TtlCache<number>(2);
    cache.set("a", 1, 1_000, 0);
    cache.set("b", 2, 1_000, 0);
    cache.set("b", 3, 1_000, 0);
    expect([cache.get("a", 1), cache.get("b", 1)]).toEqual([1, 3]);
  });

  it("forgets one entry on delete, and every entry on clear", () => {
    const cache = new TtlCache<number>(10);
    cache.set("a", 1, 1_000, 0);
    cache.set("b", 2, 1_000, 0);
    cache.delete("a");
    expect([cache.get("a", 1), cache.get("b", 1)]).toEqual([undefined, 2]);
    cache.clear();
    expect(cache.get("b", 1)).toBeUndefined();
  });
});
