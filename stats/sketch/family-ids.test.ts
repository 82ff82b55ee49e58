import { describe, expect, it } from "vitest";
import { familyHex, LEGACY_FAMILY, VIGIL_FAMILY } from "./family-ids.ts";

// DataSketches' family ids (org.apache.datasketches.common.Family), Alpha = 1 to Bloom filter = 21.
const DATASKETCHES_IDS = new Set(Array.from({ length: 21 }, (_, i) => i + 1));

describe("family id registry", () => {
  it("gives every format an id of its own, at or above 0x80 and outside DataSketches' ids", () => {
    const ids = Object.values(VIGIL_FAMILY);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(0x80);
      expect(id).toBeLessThanOrEqual(0xff);
      expect(DATASKETCHES_IDS.has(id)).toBe(false);
    }
    // No current id is one a format wrote before, so old and new bytes never read alike.
    for (const legacy of Object.values(LEGACY_FAMILY)) expect(ids).not.toContain(legacy);
  });

  it("keeps the borrowed id of each format that had one, for reading old bytes", () => {
    expect(Object.keys(LEGACY_FAMILY).sort()).toEqual(Object.keys(VIGIL_FAMILY).sort());
    for (const id of Object.values(LEGACY_FAMILY)) expect(DATASKETCHES_IDS.has(id)).toBe(true);
  });

  it("writes family bytes as two upper-case hex digits", () => {
    expect(familyHex(0x0f)).toBe("0x0F");
    expect(familyHex(VIGIL_FAMILY.kll)).toBe("0xCB");
  });
});
