import { defineConfig } from "vitest/config";

// Two projects: plain Node for the pure statistics core and the scripts,
// workerd (through @cloudflare/vitest-plugin) for the Worker and Durable Objects.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["stats/**/*.test.ts", "scripts/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      "./vitest.workers.config.ts",
    ],
  },
});
