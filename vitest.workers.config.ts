import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { planTestServices } from "./scripts/testing/test-services-plan.ts";

// Worker and Durable Object tests run inside workerd. They reach a real Postgres
// (127.0.0.1:5432 when it answers, embedded PGlite otherwise) through the same Neon
// relay `npm start` uses; scripts/testing/global-setup.ts starts it on the planned port.
export default defineConfig(async () => {
  const plan = await planTestServices();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            DATABASE_URL: plan.databaseUrl,
            NEON_WS_PROXY: plan.relayProxy,
            // Stryker's command runner names the mutant to switch on in the host's environment;
            // code in workerd reads process.env, which holds the Worker's text bindings.
            ...(process.env.__STRYKER_ACTIVE_MUTANT__ ? { __STRYKER_ACTIVE_MUTANT__: process.env.__STRYKER_ACTIVE_MUTANT__ } : {}),
          },
        },
      }),
    ],
    test: {
      name: "workers",
      include: ["workers/**/*.test.ts", "durable/**/*.test.ts"],
      globalSetup: ["./scripts/testing/global-setup.ts"],
      // As in the node and web projects: a test that ends without an assertion fails.
      setupFiles: ["./scripts/testing/every-test-asserts.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
});
