// Mutation testing of the trust-boundary code whose tests need no workerd (docs/testing.md,
// "Mutation testing"): Stryker's vitest runner on vitest.mutation-node.config.ts, in plain
// Node. Unlike the command runner (stryker.config.mjs) it records which test covers which
// mutant, runs only those tests, and keeps vitest warm between mutants: milliseconds per
// mutant instead of a workerd start.
//
//   npm run test:mutation:node
//   MUTATE=workers/channels/url-guard.ts npm run test:mutation:node
//
// Incremental (.stryker-tmp/incremental-node.json, git-ignored): with per-test coverage a
// rerun retests mutants whose code or covering tests changed.
import base from "./stryker.config.mjs";

/**
 * Modules whose tests need no workerd: pure ones, SQL on a Durable Object's storage
 * (node:sqlite) and Postgres code (PGlite). Their tests are PURE_TRUST_BOUNDARY_TESTS of
 * the vitest config.
 */
export const NODE_TRUST_BOUNDARIES = [
  "workers/auth/{api-key,constant-time,instance-admin,key-cache,key-from-query,principal}.ts",
  "workers/authz/{grants,policy}.ts",
  "workers/channels/{signature,standard-webhooks,url-guard,ip-ranges,redact-config,redact-text,request,slack,pagerduty,teams,webhook,retrain,reply}.ts",
  "workers/users/password.ts",
  "workers/ingest/validate-*.ts",
  // Postgres through drizzle, run on PGlite (scripts/testing/node-seed.ts)
  "workers/auth/{key-store,key-service}.ts",
  "workers/auth/authenticate.ts",
  "workers/users/{sessions,sign-in,sign-in-limit,login-links}.ts",
  "workers/alerts/deliver.ts",
  "workers/users/{accounts,member-view,members}.ts",
  // plain SQL on the object's storage, run over node:sqlite
  "durable/monitor/{label-join,join-index,outbox}.ts",
  "!**/*.test.ts",
];

const list = (value, fallback) => (value ? value.split(/[\s,]+/).filter(Boolean) : fallback);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: list(process.env.MUTATE, NODE_TRUST_BOUNDARIES),
  testRunner: "vitest",
  // `related` (on by default) finds no test for a mutant under vitest 5: every mutant ran 0
  // tests. Per-test coverage picks the tests instead (their names are matched through the
  // plugin in vitest.mutation-node.config.ts).
  vitest: { configFile: "vitest.mutation-node.config.ts", related: false },
  coverageAnalysis: "perTest",
  commandRunner: undefined,
  // No TypeScript checker here: type-checking a mutant takes seconds on this machine, the
  // tests milliseconds. Mutants that would not compile are tested like the others; the
  // survivors among them are listed as such in docs/testing.md.
  checkers: [],
  // Node tests in a warm vitest: a mutant that takes 5 s more than the tests did is stuck.
  timeoutMS: 5_000,
  // A mutant can loop while it allocates (join-index's ranges): one ran a test runner up to
  // 4 GB on a shared machine. Capped, it dies early instead.
  testRunnerNodeArgs: ["--max-old-space-size=1024"],
  incrementalFile: ".stryker-tmp/incremental-node.json",
  htmlReporter: { fileName: ".stryker-tmp/reports/mutation-node.html" },
  jsonReporter: { fileName: ".stryker-tmp/reports/mutation-node.json" },
};
