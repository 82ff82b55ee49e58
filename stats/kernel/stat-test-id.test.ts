import { describe, expect, it } from "vitest";
import { STAT_TEST_IDS, isStatTestId, statTestFile } from "./stat-test-id.ts";

describe("StatTestId", () => {
  it("lists each id once", () => {
    expect(new Set(STAT_TEST_IDS).size).toBe(STAT_TEST_IDS.length);
  });

  it("recognises ids exactly as spelled", () => {
    expect(isStatTestId("TVD")).toBe(true);
    expect(isStatTestId("chi_square_two_sample")).toBe(true);
    expect(isStatTestId("tvd")).toBe(false);
    expect(isStatTestId("js")).toBe(false);
  });

  it("names a test's file after its id", () => {
    expect(statTestFile("kl_div")).toBe("kl-div.ts");
    expect(statTestFile("TVD")).toBe("tvd.ts");
    expect(statTestFile("cramer_von_mises")).toBe("cramer-von-mises.ts");
    expect(statTestFile("jensenshannon")).toBe("jensenshannon.ts");
  });
});
