import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

// Mutation testing only (stryker.node.config.mjs, docs/testing.md "Mutation testing"): the
// tests of trust-boundary modules that need no workerd (no bindings, Durable Objects or
// Postgres: URL guard, signing, payload builders, redaction, password hashing, ingest
// validation, grants and route policies), run in plain Node. Stryker's vitest runner then knows which test covers
// which mutant and runs only those, in milliseconds, instead of starting workerd per mutant.
// The label join's store and index tests and the outbox's (written for workerd) run here too: its store and index are
// plain SQL, so `cloudflare:test` and the test seed are swapped for a fresh object's storage
// over node:sqlite (scripts/testing/node-durable-object.ts, node-sqlite-storage.ts).
// These files also run in the workers project of `npm test`; this config is not part of it.
export const PURE_TRUST_BOUNDARY_TESTS = [
  "workers/auth/api-key.test.ts",
  "workers/auth/constant-time.test.ts",
  "workers/auth/instance-admin.test.ts",
  "workers/auth/key-cache.test.ts",
  "workers/auth/key-from-query.test.ts",
  "workers/auth/key-service.test.ts",
  "workers/auth/key-store.test.ts",
  "workers/auth/principal.test.ts",
  "workers/authz/access.test.ts",
  "workers/authz/grants.test.ts",
  "workers/authz/policy.test.ts",
  "workers/channels/pagerduty.test.ts",
  "workers/channels/payloads.test.ts",
  "workers/channels/ip-ranges.test.ts",
  "workers/channels/redact-config.test.ts",
  "workers/channels/redact-text.test.ts",
  "workers/channels/report.test.ts",
  "workers/channels/request.test.ts",
  "workers/channels/retrain.test.ts",
  "workers/channels/signature.test.ts",
  "workers/channels/slack.test.ts",
  "workers/channels/standard-webhooks.test.ts",
  "workers/channels/teams.test.ts",
  "workers/channels/url-guard.test.ts",
  "workers/channels/webhook.test.ts",
  "workers/users/password.test.ts",
  "workers/users/accounts.test.ts",
  "workers/users/member-view.test.ts",
  "workers/users/members.test.ts",
  "workers/ingest/validate-events.test.ts",
  "workers/ingest/validate-actuals.test.ts",
  "durable/monitor/join-index.test.ts",
  "durable/monitor/label-join.test.ts",
  "durable/monitor/erasure.test.ts",
  "durable/monitor/outbox.test.ts",
  "workers/alerts/deliver.test.ts",
  "workers/alerts/deliver-guard.test.ts",
  "workers/auth/authenticate.test.ts",
  "workers/users/sessions-direct.test.ts",
  "workers/users/sign-in.test.ts",
  "workers/users/sign-in-limit.test.ts",
  "workers/users/login-links.test.ts",
];

const nodeObject = fileURLToPath(new URL("./scripts/testing/node-durable-object.ts", import.meta.url));
const nodeSeed = fileURLToPath(new URL("./scripts/testing/node-seed.ts", import.meta.url));

/**
 * Stryker 9.6 runs a mutant's covering tests by setting the project's testNamePattern to
 * their names, describe blocks and test joined by spaces; vitest 5 matches the pattern
 * against names joined by " > ", so no test ran and every mutant "survived". This lets
 * each space in the pattern match either separator (a space inside a name still matches).
 */
const strykerTestNames: Plugin = {
  name: "vigil:stryker-test-names",
  configureVitest({ project }) {
    let pattern: RegExp | undefined;
    Object.defineProperty(project.config, "testNamePattern", {
      configurable: true,
      enumerable: true,
      get: () => pattern,
      set: (value: RegExp | string | undefined) => {
        pattern = value === undefined ? undefined : new RegExp(String(value instanceof RegExp ? value.source : value).replace(/ /g, "(?: | > )"), value instanceof RegExp ? value.flags : "");
      },
    });
  },
};

export default defineConfig({
  plugins: [strykerTestNames],
  resolve: {
    alias: [
      { find: /^cloudflare:test$/, replacement: nodeObject },
      { find: /^(\.\.\/)+(workers\/)?testing\/seed\.ts$/, replacement: nodeSeed },
    ],
  },
  test: {
    name: "mutation-node",
    environment: "node",
    // MUTATION_TESTS narrows a run to the tests of the code it mutates.
    include: process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(/[\s,]+/).filter(Boolean) : PURE_TRUST_BOUNDARY_TESTS,
    setupFiles: ["./scripts/testing/every-test-asserts.ts"],
    testTimeout: 30_000,
  },
});
