import { defineConfig } from "vitest/config";

// Three projects: plain Node for the pure statistics core, the `vigil` CLI and the scripts (including
// end-to-end and browser tests that drive a running stack), happy-dom for dashboard
// components, and workerd (through @cloudflare/vitest-plugin) for the Worker and
// Durable Objects.
export default defineConfig({
  test: {
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
