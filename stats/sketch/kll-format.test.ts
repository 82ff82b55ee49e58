import { describe, expect, it } from "vitest";
import { KllSketch } from "./kll.ts";
import { mulberry32 } from "../testing/rng.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// Written out by hand from the layout in kll-format.ts: k = 8, values 3, 1, 2.
// Level 0 fills downwards, so the retained items read 2, 1, 3.
const GOLDEN_SMALL = `
  cb 02 00 01 0800 0000
  0300000000000000
  000000000000f03f
  0000000000000840
  00000000 03000000
  0000000000000040 000000000000f03f 0000000000000840`;

// The same sketch as version 1 wrote it, under DataSketches' family id 0x0F. Such bytes
// are stored in Durable Object SQLite and Postgres baselines, so they must keep decoding.
const GOLDEN_SMALL_V1 = `
  0f 01 00 01 0800 0000
  0300000000000000
  000000000000f03f
  0000000000000840
  00000000 03000000
  0000000000000040 000000000000f03f 0000000000000840`;

describe("KLL serialization", () => {
  it("matches golden bytes for a small sketch", () => {
    const s = new KllSketch(8, { seed: 1 });
    for (const x of [3, 1, 2]) s.update(x);
    expect(hex(s.toBytes())).toBe(hex(fromHex(GOLDEN_SMALL)));
    const back = KllSketch.fromBytes(fromHex(GOLDEN_SMALL));
    expect(back.n).toBe(3);
    expect(back.k).toBe(8);
    expect(back.quantile(0.5)).toBe(2);
  });

  it("writes Vigil's own family id 0xCB and serial version 2, not DataSketches' KLL family 0x0F", () => {
    const bytes = new KllSketch(8).toBytes();
    expect([bytes[0], bytes[1]]).toEqual([0xcb, 2]);
  });

  it("still decodes version 1 bytes (family 0x0F) to the same sketch, and writes them back as version 2", () => {
    const old = KllSketch.fromBytes(fromHex(GOLDEN_SMALL_V1));
    expect(old.n).toBe(3);
    expect(old.k).toBe(8);
    expect(old.min()).toBe(1);
    expect(old.max()).toBe(3);
    expect(old.quantile(0.5)).toBe(2);
    const current = KllSketch.fromBytes(fromHex(GOLDEN_SMALL));
    expect(Array.from(old.sortedView().items)).toEqual(Array.from(current.sortedView().items));
    expect(Array.from(old.sortedView().cumWeights)).toEqual(Array.from(current.sortedView().cumWeights));
    expect(hex(old.toBytes())).toBe(hex(fromHex(GOLDEN_SMALL)));
    const empty = KllSketch.fromBytes(fromHex(`0f 01 01 01 c800 0000 ${"00".repeat(8)} ${"000000000000f87f".repeat(2)} 00000000 00000000`));
    expect(empty.isEmpty()).toBe(true);
    expect(empty.k).toBe(200);
  });

  it("writes an empty sketch as a 40-byte header with the empty flag", () => {
    const bytes = new KllSketch(200).toBytes();
    expect(hex(bytes.subarray(0, 8))).toBe("cb020101c8000000");
    expect(bytes.length).toBe(40);
    const back = KllSketch.fromBytes(bytes);
    expect(back.isEmpty()).toBe(true);
    expect(back.k).toBe(200);
  });

  it("keeps one of the two parities when level 0 of a k = 8 sketch is compacted", () => {
    const s = new KllSketch(8, { seed: 5 });
    for (let x = 1; x <= 9; x++) s.update(x);
    const view = s.sortedView();
    // 9 arrives last and stays at weight 1; the compacted 1..8 keep odd or even values at weight 2.
    const weights = [2, 4, 6, 8, 9];
    const evens = [[2, 4, 6, 8, 9], weights];
    const odds = [[1, 3, 5, 7, 9], weights];
    const got = [Array.from(view.items), Array.from(view.cumWeights)];
    expect([JSON.stringify(evens), JSON.stringify(odds)]).toContain(JSON.stringify(got));
    expect(s.numLevels).toBe(2);
    const bytes = s.toBytes();
    expect(hex(bytes.subarray(32, 44))).toBe("000000000100000005000000");
    expect(bytes.length).toBe(32 + 12 + 5 * 8);
  });

  it("round-trips a large sketch through bytes and base64 with identical answers", () => {
    const u = mulberry32(3);
    const s = new KllSketch(200, { seed: 4 });
    for (let i = 0; i < 300_000; i++) s.update(u() * 100 - 50);
    const back = KllSketch.fromBase64(s.toBase64());
    expect(back.n).toBe(s.n);
    expect(back.min()).toBe(s.min());
    expect(back.max()).toBe(s.max());
    expect(back.numLevels).toBe(s.numLevels);
    expect(Array.from(back.sortedView().items)).toEqual(Array.from(s.sortedView().items));
    expect(Array.from(back.sortedView().cumWeights)).toEqual(Array.from(s.sortedView().cumWeights));
    expect(hex(back.toBytes())).toBe(hex(s.toBytes()));
    expect(s.toBytes().length).toBeLessThan(16 * 1024);
    // A restored sketch keeps working: further updates and merges.
    for (let i = 0; i < 1000; i++) back.update(u());
    back.merge(s);
    expect(back.n).toBe(601_000);
  });

  it("rejects foreign, future, truncated and inconsistent bytes with clear errors", () => {
    const s = new KllSketch(8, { seed: 1 });
    for (const x of [3, 1, 2]) s.update(x);
    const good = s.toBytes();
    const withByte = (at: number, value: number) => { const b = good.slice(); b[at] = value; return b; };
    expect(() => KllSketch.fromBytes(withByte(0, 0x07))).toThrow("not a KLL sketch: family byte 0x07");
    expect(() => KllSketch.fromBytes(withByte(1, 9))).toThrow("unsupported KLL serial version 9");
    // Each family has its one version: 0x0F only ever wrote 1, 0xCB starts at 2.
    expect(() => KllSketch.fromBytes(withByte(1, 1))).toThrow("unsupported KLL serial version 1 for family 0xCB");
    const legacy = fromHex(GOLDEN_SMALL_V1);
    legacy[1] = 2;
    expect(() => KllSketch.fromBytes(legacy)).toThrow("unsupported KLL serial version 2 for family 0x0F");
    expect(() => KllSketch.fromBytes(good.subarray(0, 20))).toThrow("too short");
    expect(() => KllSketch.fromBytes(good.subarray(0, good.length - 8))).toThrow("does not match");
    expect(() => KllSketch.fromBytes(withByte(8, 4))).toThrow("retained weight 3 does not equal n = 4");
    expect(() => KllSketch.fromBytes(withByte(2, 1))).toThrow("empty flag");
    expect(() => KllSketch.fromBytes(withByte(4, 3))).toThrow("k must be >= 8");
    expect(() => KllSketch.fromBase64("not base64!")).toThrow("invalid base64");
  });
});
