import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { WindowState } from "./window.ts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

// Golden bytes, derived by hand from the layout documented in window.ts,
// numerical-window.ts and categorical-window.ts: a change to the format must be deliberate.
// Version 3 writes Vigil's family ids (window 0xD7, numerical 0xCE, categorical 0xC3);
// versions 2 and 1, stored in Durable Object SQLite, wrote DataSketches' ids (0x10, 0x01,
// 0x02) and must keep reading.
describe("window state binary format v3", () => {
  const categoricalProfile = buildProfile([{ c: "a" }, { c: "b" }, { c: "a" }]);
  // The window of the categorical tests: "a", "zz" (not in the profile), a missing cell.
  const categoricalBody =
    "03" + "01" + // rows 3, 1 feature
    "0163"; // name "c"
  const categoricalCounts =
    "02" + "01" + "00" + // count 2, missing 1, type violations 0
    "03" + "01" + "00" + "01" + // 3 cells: a, b, __other__
    "01" + "027a7a" + "01" + // 1 unlisted label: "zz" × 1
    "00" + // overflow 0
    "00"; // no prediction column
  const presence =
    "00" + "00" + "00" + "00" + // presence: unchecked 0, rows missing a feature 0, with unknown keys 0; c absent 0
    "00" + "00"; // no unknown keys, overflow 0

  const categoricalWindow = () => {
    const window = new WindowState(categoricalProfile);
    window.updateRow({ c: "a" });
    window.updateRow({ c: "zz" });
    window.updateRow({ c: null });
    return window;
  };

  it("encodes a categorical window byte for byte, under Vigil's family ids", () => {
    const expected =
      "04" + "d7" + categoricalBody + // version 4, window family 0xD7
      "c3" + categoricalCounts + // categorical family 0xC3
      presence;
    expect(hex(categoricalWindow().toBytes())).toBe(expected);
  });

  it("reads a version 2 categorical window (families 0x10 and 0x02) to the same state, and version 1", () => {
    const v2 = "02" + "10" + categoricalBody + "02" + categoricalCounts + presence;
    const read = WindowState.fromBytes(fromHex(v2), categoricalProfile);
    expect(read.toBytes()).toEqual(categoricalWindow().toBytes());
    // Version 1 was version 2 without the presence section; it still reads, its rows unchecked.
    const v1 = WindowState.fromBytes(fromHex("01" + v2.slice(2, -12)), categoricalProfile);
    expect(v1.rows).toBe(3);
    expect(v1.presence.uncheckedRows).toBe(3);
    expect(Array.from(v1.features[0]!.kind === "categorical" ? v1.features[0]!.cells : [])).toEqual([1, 0, 1]);
  });

  it("refuses a family that is not its version's", () => {
    const v2WithNewFamily = fromHex("02" + "d7" + categoricalBody + "02" + categoricalCounts + presence);
    expect(() => WindowState.fromBytes(v2WithNewFamily, categoricalProfile)).toThrow("unsupported window state version 2 for family 0xD7");
    const v3WithOldFamily = fromHex("03" + "10" + categoricalBody + "c3" + categoricalCounts + presence);
    expect(() => WindowState.fromBytes(v3WithOldFamily, categoricalProfile)).toThrow("unsupported window state version 3 for family 0x10");
    // A feature's family follows the window's version too.
    const v3WithOldFeature = fromHex("03" + "d7" + categoricalBody + "02" + categoricalCounts + presence);
    expect(() => WindowState.fromBytes(v3WithOldFeature, categoricalProfile)).toThrow('feature "c": expected a categorical window (family 0xC3), got family 0x02');
    const v2WithNewFeature = fromHex("02" + "10" + categoricalBody + "c3" + categoricalCounts + presence);
    expect(() => WindowState.fromBytes(v2WithNewFeature, categoricalProfile)).toThrow('feature "c": expected a categorical window (family 0x02), got family 0xC3');
  });

  it("encodes a numerical window byte for byte around its KLL bytes, and reads versions 2 and 1", () => {
    const profile = buildProfile([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }], { bins: 2, gridBins: 0 });
    const feature = profile.features[0];
    if (feature?.kind !== "numerical") throw new Error("x is numerical");
    expect(feature.bins.edges).toEqual([2.5]); // numpy.quantile([1, 2, 3, 4], 0.5)
    const window = new WindowState(profile);
    window.updateRow({ x: 1 });
    window.updateRow({ x: 5 });
    window.updateRow({ x: null });
    const kll = (window.features[0] as NumericalWindow).sketch.toBytes();
    expect(kll.length).toBeLessThan(128); // so its length prefix is one byte
    const body =
      "02" + "01" + "00" + // count 2, missing 1, non-finite 0
      "0000000000000840" + // mean 3
      "0000000000002040" + // M2 8
      "000000000000f03f" + // min 1
      "0000000000001440" + // max 5
      "00"; // type violations 0
    const outOfRange = "00" + "01"; // below the reference min 1: 0; above its max 4: 1 (the 5)
    const bins = "02" + "01" + "01"; // 2 bins: (−∞, 2.5] holds 1, (2.5, ∞) holds 5
    const kllHex = kll.length.toString(16).padStart(2, "0") + hex(kll);
    const tail = "00" + presence; // no prediction column, presence as above
    const noGrid = "00"; // version 4: the profile has no grid
    const expected = "04" + "d7" + "03" + "01" + "0178" + "ce" + body + outOfRange + bins + kllHex + noGrid + tail;
    expect(hex(window.toBytes())).toBe(expected);

    // Version 2, as stored before: families 0x10 and 0x01, and the KLL in its version 1
    // form (family 0x0F), as windows written before either change hold it.
    const oldKll = kll.slice();
    oldKll[0] = 0x0f;
    oldKll[1] = 1;
    const oldKllHex = kllHex.slice(0, 2) + hex(oldKll);
    const v2 = "02" + "10" + "03" + "01" + "0178" + "01" + body + outOfRange + bins + oldKllHex + tail;
    const read = WindowState.fromBytes(fromHex(v2), profile);
    expect(hex(read.toBytes())).toBe(expected);
    // Version 1: no out-of-range counts, no presence section.
    const v1 = WindowState.fromBytes(fromHex("01" + "10" + "03" + "01" + "0178" + "01" + body + bins + oldKllHex + "00"), profile);
    const x = v1.features[0] as NumericalWindow;
    expect([x.moments.count, x.aboveRange, x.belowRange, v1.presence.uncheckedRows]).toEqual([2, 0, 0, 3]);
    expect(x.sketch.toBytes()).toEqual(kll);
  });

  it("encodes the grid counts of version 4 as non-empty cells and the two tail sums", () => {
    const profile = buildProfile([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }], { bins: 2, gridBins: 2 });
    const window = new WindowState(profile);
    window.updateRow({ x: 1 }); // cell 0: (−∞, 1]
    window.updateRow({ x: 5 }); // cell 3: (4, ∞), 1 above the reference max
    window.updateRow({ x: 0.5 }); // cell 0, 0.5 below the reference min
    const bytes = hex(window.toBytes());
    const grid =
      "01" + "03" + "02" + // has grid, 3 edges (1, 2.5, 4), 2 non-empty cells
      "00" + "02" + "02" + "01" + // cell 0 holds 2, cell 0 + 2 + 1 = 3 holds 1
      "000000000000e03f" + // below: 1 − 0.5
      "000000000000f03f"; // above: 5 − 4
    expect(bytes.endsWith(grid + "00" + presence)).toBe(true);
    const read = WindowState.fromBytes(fromHex(bytes), profile);
    const x = read.features[0] as NumericalWindow;
    expect(Array.from(x.grid!.counts())).toEqual([2, 0, 0, 1]);
    expect([x.grid!.below, x.grid!.above, x.grid!.total]).toEqual([0.5, 1, 3]);
    expect(hex(read.toBytes())).toBe(bytes);
  });
});
