// The column split over two worker threads (drift-in-workers.ts) must give the very report
// a single-thread run gives: same scores, same order, same errors.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

function vigil(args: string[], split: "always" | "never"): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, "cli/main.ts"), "drift", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, VIGIL_PARALLEL_DRIFT: split, VIGIL_PARALLEL_READ: "never" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("vigil drift split over two workers", () => {
  it("gives the single-thread report, byte for byte, with --test all", () => {
    const args = ["--reference", fixture("large_ref.csv"), "--current", fixture("large_cur.csv"), "--test", "all", "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(single.code).toBe(0);
    expect(split.code).toBe(0);
    expect(JSON.parse(split.stdout).columns.length).toBeGreaterThan(4);
    expect(split.stdout).toBe(single.stdout);
  });

  it("keeps listed columns and their kinds, in the listed order", () => {
    const args = ["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv"), "--numerical", "temp,wind", "--categorical", "city", "--json"];
    const single = vigil(args, "never");
    const split = vigil(args, "always");
    expect(split.code).toBe(0);
    expect(split.stdout).toBe(single.stdout);
  });

  it("reports a missing listed column as bad input (exit 2), naming it", () => {
    const args = ["--reference", fixture("small_ref.csv"), "--current", fixture("small_cur.csv"), "--numerical", "temp,nosuch"];
    const split = vigil(args, "always");
    expect(split.code).toBe(2);
    expect(split.stderr).toContain('"nosuch"');
    expect(split.stderr).toBe(vigil(args, "never").stderr);
  });
});
