// The bin shim and the npm script both reach the CLI, on any Node the shim can start on.

import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const shim = join(root, "cli/bin/vigil.mjs");
const fixtures = join(root, "cli/fixtures");
const driftArgs = ["drift", "--reference", join(fixtures, "small_ref.csv"), "--current", join(fixtures, "small_cur.csv"), "--json"];

function versionOf(node: string): string {
  return spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
}

function stripsTypes(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

// A system Node too old for type stripping exercises the re-spawn path.
const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((path) => existsSync(path) && !stripsTypes(versionOf(path)));

describe("cli/bin/vigil.mjs", () => {
  it("runs the CLI in-process on this Node", () => {
    const result = spawnSync(process.execPath, [shim, ...driftArgs], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty("dataset.number_of_columns", 4);
  });

  it.skipIf(oldNode === undefined)("re-runs under the project's Node on an older one, passing the exit code", () => {
    const node = oldNode as string;
    const ok = spawnSync(node, [shim, ...driftArgs], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveProperty("dataset.number_of_columns", 4);
    const bad = spawnSync(node, [shim, "drift", "--reference", "nope.csv", "--current", "nope.csv"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("vigil: nope.csv: file not found\n");
  });
});

describe("npm run vigil", () => {
  it("runs the CLI from the repo root", () => {
    const result = spawnSync("npm", ["run", "-s", "vigil", "--", "drift", "--help"], { cwd: root, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage:\n {2}vigil drift --reference <file> --current <file>/);
  });
});
