import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Three projects: plain Node for the pure statistics core, the `vigil` CLI and the scripts (including
// end-to-end and browser tests that drive a running stack), happy-dom for dashboard
// components, and workerd (through @cloudflare/vitest-plugin) for the Worker and
// Durable Objects.
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
          name: "node",
          environment: "node",
          include: ["stats/**/*.test.ts", "scripts/**/*.test.ts", "cli/**/*.test.ts", "clients/**/*.test.ts"],
          setupFiles: ["./scripts/testing/every-test-asserts.ts"],
          testTimeout: 30_000,
        },
      },
      {
        oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
        test: {
          name: "web",
          environment: "happy-dom",
          include: ["web/src/**/*.test.{ts,tsx}"],
          setupFiles: ["./scripts/testing/every-test-asserts.ts"],
          testTimeout: 15_000,
        },
      },
      "./vitest.workers.config.ts",
    ],
  },
});
