import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { WindowState } from "./window.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

// Golden bytes, derived by hand from the layout documented in window.ts,
// numerical-window.ts and categorical-window.ts: a change to the format must be deliberate.
describe("window state binary format v1", () => {
  it("encodes a categorical window byte for byte", () => {
    const profile = buildProfile([{ c: "a" }, { c: "b" }, { c: "a" }]);
    const window = new WindowState(profile);
    window.updateRow({ c: "a" });
    window.updateRow({ c: "zz" });
    window.updateRow({ c: null });
    const expected =
      "01" + "10" + "03" + "01" + // version, window family, rows 3, 1 feature
      "0163" + // name "c"
      "02" + "02" + "01" + "00" + // categorical family; count 2, missing 1, type violations 0
      "03" + "01" + "00" + "01" + // 3 cells: a, b, __other__
      "01" + "027a7a" + "01" + // 1 unlisted label: "zz" × 1
      "00" + // overflow 0
      "00"; // no prediction column
    expect(hex(window.toBytes())).toBe(expected);
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
      "01" + "10" + "03" + "01" + "0178" + // header, name "x"
      "01" + "02" + "01" + "00" + // numerical family; count 2, missing 1, non-finite 0
      "0000000000000840" + // mean 3
      "0000000000002040" + // M2 8
      "000000000000f03f" + // min 1
      "0000000000001440" + // max 5
      "00" + // type violations 0
      "02" + "01" + "01" + // 2 bins: (−∞, 2.5] holds 1, (2.5, ∞) holds 5
      kll.length.toString(16).padStart(2, "0") + hex(kll) +
      "00";
    expect(hex(window.toBytes())).toBe(expected);
  });
});
