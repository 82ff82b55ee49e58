// The strict TypeScript programs (stats+scripts, workers+durable, web) must compile
// cleanly: CI fails on a type error the same way it fails on a broken test.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
const run = promisify(execFile);

describe("typecheck", () => {
  it.each(["tsconfig.json", "tsconfig.worker.json", "web/tsconfig.json"])("%s compiles without errors", async (config) => {
    const result = await run(process.execPath, [tsc, "-p", config, "--noEmit", "--pretty", "false"], { cwd: root, maxBuffer: 16 << 20 }).then(
      (r) => r.stdout,
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result.split("\n").filter((l) => l.includes("error TS"))).toEqual([]);
  }, 180_000);
});
