import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Four projects: plain Node for the pure statistics core (`stats`), plain Node for the `vigil`
// CLI, the clients and the scripts (`node`, including end-to-end and browser tests that drive
// a running stack), happy-dom for dashboard components (`web`), and workerd (through
// @cloudflare/vitest-plugin) for the Worker and Durable Objects (`workers`).
export default defineConfig({
  test: {
    // vitest's default for `run` is one worker per core less one: a single worker on the
    // two-core CI machines, which ran all 280-odd files one after another while the
    // end-to-end files mostly wait (on a stack's start, a retry's backoff, a browser). One
    // more worker than cores keeps the cores busy through those waits: the suite took
    // 1,035 s instead of 1,672 s on the same machine (docs/benchmarks.md, "Test suite duration").
    maxWorkers: Math.max(2, availableParallelism()) + 1,
    projects: [
      {
        test: {
          // The pure statistics core shares its workers across files (isolate: false): nothing
          // there holds process-wide state a file could leak to the next, and starting a fresh
          // module graph per file was half of these files' time (52 s against 25 s alone).
          name: "stats",
          environment: "node",
          include: ["stats/**/*.test.ts"],
          isolate: false,
          setupFiles: ["./scripts/testing/every-test-asserts.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["scripts/**/*.test.ts", "cli/**/*.test.ts", "clients/**/*.test.ts"],
          setupFiles: ["./scripts/testing/every-test-asserts.ts"],
          testTimeout: 30_000,
        },
      },
      {
        oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
        test: {
          name: "web",
          environment: "happy-dom",
          // One happy-dom per worker instead of one per file (17 s against 5 s for the 22 files):
          // every file that renders calls testing-library's cleanup after each test and unstubs the
          // globals it stubbed.
          isolate: false,
          include: ["web/src/**/*.test.{ts,tsx}"],
          setupFiles: ["./scripts/testing/every-test-asserts.ts"],
          testTimeout: 15_000,
        },
      },
      "./vitest.workers.config.ts",
    ],
  },
});
