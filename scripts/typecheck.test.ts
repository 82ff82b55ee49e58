// The strict TypeScript programs (stats+scripts, workers+durable, web) must compile
// cleanly: CI fails on a type error the same way it fails on a broken test.
import { describe, expect, it } from "vitest";
import { checkProgram, PROGRAMS, typeErrors } from "./typecheck.ts";

describe("typecheck", () => {
  it.each(PROGRAMS)("%s compiles without errors", async (config) => {
    expect(typeErrors(await checkProgram(config))).toEqual([]);
  }, 180_000);

  it("reports a type error as one", () => {
    expect(typeErrors("a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n")).toHaveLength(1);
    expect(typeErrors("")).toEqual([]);
  });
});
