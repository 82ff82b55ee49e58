import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { WindowState } from "./window.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

// Golden bytes, derived by hand from the layout documented in window.ts,
// numerical-window.ts and categorical-window.ts: a change to the format must be deliberate.
describe("window state binary format v2", () => {
  it("encodes a categorical window byte for byte", () => {
    const profile = buildProfile([{ c: "a" }, { c: "b" }, { c: "a" }]);
    const window = new WindowState(profile);
    window.updateRow({ c: "a" });
    window.updateRow({ c: "zz" });
    window.updateRow({ c: null });
    const expected =
      "02" + "10" + "03" + "01" + // version, window family, rows 3, 1 feature
      "0163" + // name "c"
      "02" + "02" + "01" + "00" + // categorical family; count 2, missing 1, type violations 0
      "03" + "01" + "00" + "01" + // 3 cells: a, b, __other__
      "01" + "027a7a" + "01" + // 1 unlisted label: "zz" × 1
      "00" + // overflow 0
      "00" + // no prediction column
      "00" + "00" + "00" + "00" + // presence: unchecked 0, rows missing a feature 0, with unknown keys 0; c absent 0
      "00" + "00"; // no unknown keys, overflow 0
    expect(hex(window.toBytes())).toBe(expected);
    // Version 1 was the same without the presence section; it still reads, its rows unchecked.
    const v1 = WindowState.fromBytes(fromHex("01" + expected.slice(2, -12)), profile);
    expect(v1.rows).toBe(3);
    expect(v1.presence.uncheckedRows).toBe(3);
    expect(Array.from(v1.features[0]!.kind === "categorical" ? v1.features[0]!.cells : [])).toEqual([1, 0, 1]);
  });

  it("encodes a numerical window byte for byte around its KLL bytes", () => {
    const profile = buildProfile([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }], { bins: 2 });
    const feature = profile.features[0];
    if (feature?.kind !== "numerical") throw new Error("x is numerical");
    expect(feature.bins.edges).toEqual([2.5]); // numpy.quantile([1, 2, 3, 4], 0.5)
    const window = new WindowState(profile);
    window.updateRow({ x: 1 });
    window.updateRow({ x: 5 });
    window.updateRow({ x: null });
    const kll = (window.features[0] as NumericalWindow).sketch.toBytes();
    expect(kll.length).toBeLessThan(128); // so its length prefix is one byte
    const expected =
      "02" + "10" + "03" + "01" + "0178" + // header, name "x"
      "01" + "02" + "01" + "00" + // numerical family; count 2, missing 1, non-finite 0
      "0000000000000840" + // mean 3
      "0000000000002040" + // M2 8
      "000000000000f03f" + // min 1
      "0000000000001440" + // max 5
      "00" + // type violations 0
      "00" + "01" + // below the reference min 1: 0; above its max 4: 1 (the 5)
      "02" + "01" + "01" + // 2 bins: (−∞, 2.5] holds 1, (2.5, ∞) holds 5
      kll.length.toString(16).padStart(2, "0") + hex(kll) +
      "00" + // no prediction column
      "00" + "00" + "00" + "00" + "00" + "00"; // presence, as above
    expect(hex(window.toBytes())).toBe(expected);
    // Version 1: no out-of-range counts, no presence section.
    const v1Hex = "01" + expected.slice(2, 2 * (4 + 2 + 4 + 32 + 1)) + expected.slice(2 * (4 + 2 + 4 + 32 + 1) + 4, -12);
    const v1 = WindowState.fromBytes(fromHex(v1Hex), profile);
    const x = v1.features[0] as NumericalWindow;
    expect([x.moments.count, x.aboveRange, x.belowRange, v1.presence.uncheckedRows]).toEqual([2, 0, 0, 3]);
    expect(x.sketch.toBytes()).toEqual(kll);
  });
});
