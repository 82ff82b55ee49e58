// Mutation testing of the trust boundaries (docs/testing.md, "Mutation testing").
//
// The code under test runs inside workerd (@cloudflare/vitest-plugin). Stryker's vitest
// runner forces `pool: "threads"` on every project, which takes the workers project out of
// workerd (cloudflare:workers, Durable Objects and the Neon relay are gone), so it cannot
// drive these tests. The command runner can: each mutant is a fresh
// `vitest run --project workers <tests>` in Stryker's sandbox, with the mutant switched on
// through __STRYKER_ACTIVE_MUTANT__. It has no per-test coverage, so every mutant runs the
// whole command: choose the tests next to the code being mutated.
//
//   npm run test:mutation:workerd              these trust boundaries (hours: a nightly job)
//   MUTATE=workers/authz/access.ts MUTATION_TESTS=workers/authz/access.test.ts npm run test:mutation:workerd
//   npm run test:mutation                      this and stryker.node.config.mjs, one after the other
//
// Incremental: results are kept in .stryker-tmp/incremental.json (git-ignored), so a rerun
// only tests mutants in code or tests that changed since.

/**
 * What to mutate here: the trust boundaries whose tests need workerd (bindings, Durable
 * Objects, Postgres through the app's routes). The rest (signing, URL guard, payloads,
 * redaction, ingest validation, grants and route policies, the label join's store and
 * index, the outbox, and the Postgres modules with direct tests on PGlite: API keys,
 * alert delivery, authenticate.ts and all of workers/users/) is in stryker.node.config.mjs.
 * The route matrix's fixture, table and callers are test code, not mutated.
 */
const TRUST_BOUNDARIES = [
  "workers/authz/**/*.ts",
  "!workers/authz/{grants,policy}.ts",
  "!workers/authz/route-matrix-*.ts",
  "durable/monitor/batch-dedupe.ts",
  "!**/*.test.ts",
  "!**/testing.ts",
];

/** The tests next to that code. */
const TRUST_BOUNDARY_TESTS = [
  "workers/authz",
  "durable/monitor/batch-dedupe.test.ts",
];

const list = (value, fallback) => (value ? value.split(/[\s,]+/).filter(Boolean) : fallback);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: list(process.env.MUTATE, TRUST_BOUNDARIES),
  testRunner: "command",
  commandRunner: {
    command: `npx vitest run --project workers ${list(process.env.MUTATION_TESTS, TRUST_BOUNDARY_TESTS).join(" ")}`,
  },
  // Mutants that do not compile are dropped before any test run.
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.worker.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Mutation runs are CPU heavy and the tests share Postgres and Redis: one at a time.
  concurrency: 1,
  // A workerd start plus the tests: generous, so a slow start is not counted as a kill.
  timeoutMS: 120_000,
  incremental: true,
  incrementalFile: ".stryker-tmp/incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".stryker-tmp/reports/mutation.html" },
  jsonReporter: { fileName: ".stryker-tmp/reports/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  // The sandbox needs the repository, not what npm start or builds leave behind.
  ignorePatterns: [".data", ".wrangler", "dist", "web/dist", "coverage", ".ci", "clients/python/build"],
  thresholds: { high: 90, low: 85, break: null },
};
