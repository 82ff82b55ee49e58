// The start-up bundle: built on first use, the same output as the source (workers included),
// rebuilt when a source file changes, and skipped on request. Run on a copy of cli/ and
// stats/ so the checkout's own bundle is left alone.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledMain } from "./bundle.mjs";

const root = join(import.meta.dirname, "..", "..");
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "vigil-bundle-"));
  const sources = (src: string) => !src.includes(`${join("cli", ".bundle")}`) && !src.endsWith(".csv") && !src.endsWith(".parquet");
  cpSync(join(root, "cli"), join(copy, "cli"), { recursive: true, filter: sources });
  cpSync(join(root, "stats"), join(copy, "stats"), { recursive: true, filter: (src) => !src.includes("fixtures") || src.endsWith("fixtures") });
  cpSync(join(root, "package.json"), join(copy, "package.json"));
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const fixtures = ["small_ref.csv", "small_cur.csv"].map((f) => join(root, "cli", "fixtures", f));
const vigil = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(copy, "cli", "bin", "vigil.mjs"), "drift", ...fixtures, "--json"], { encoding: "utf8", env: { ...process.env, ...env } });
const manifest = () => JSON.parse(readFileSync(join(copy, "cli", ".bundle", "manifest.json"), "utf8")) as { built: string; inputs: Record<string, unknown> };

describe("the CLI's start-up bundle", () => {
  it("is built on first use from the CLI's own sources, and runs the same as the source, in worker threads too", async () => {
    const entry = await bundledMain(join(copy, "cli"));
    expect(entry).toBe(join(copy, "cli", ".bundle", "main.mjs"));
    for (const worker of ["drift-worker", "parquet-drift-worker", "dataset-worker"]) expect(existsSync(join(copy, "cli", ".bundle", `${worker}.mjs`))).toBe(true);
    expect(Object.keys(manifest().inputs)).toContain(join("cli", "drift-command.ts"));
    expect(Object.keys(manifest().inputs).some((p) => p.startsWith("node_modules"))).toBe(false);
    const source = vigil({ VIGIL_NO_BUNDLE: "1" });
    expect(source.status).toBe(0);
    for (const parallel of ["never", "always"]) {
      const bundled = vigil({ VIGIL_PARALLEL_DRIFT: parallel });
      expect(bundled.stderr).toBe("");
      expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(source.stdout));
    }
  }, 60_000);

  it("is reused while its sources are unchanged and rebuilt when one changes", async () => {
    await bundledMain(join(copy, "cli"));
    const first = manifest().built;
    await bundledMain(join(copy, "cli"));
    expect(manifest().built).toBe(first);
    appendFileSync(join(copy, "cli", "format-table.ts"), "\n// changed\n");
    await bundledMain(join(copy, "cli"));
    expect(manifest().built).not.toBe(first);
  }, 60_000);

  it("is skipped with VIGIL_NO_BUNDLE=1", async () => {
    process.env.VIGIL_NO_BUNDLE = "1";
    try {
      expect(await bundledMain(join(copy, "cli"))).toBeNull();
    } finally {
      delete process.env.VIGIL_NO_BUNDLE;
    }
  });
});
