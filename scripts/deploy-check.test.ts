// The deploy check runs wrangler's real dry-run build for each environment in
// wrangler.toml: the environments must carry every binding and the bundle must fit.

import { describe, expect, it } from "vitest";
import { bindingNames, checkEnvironments, cronsIn, ENVIRONMENTS, SIZE_LIMIT_BYTES } from "./deploy-check.ts";

describe("npm run deploy:check", () => {
  it("builds staging and production with every binding the code uses, under the size limit", () => {
    const checks = checkEnvironments(ENVIRONMENTS);
    expect(checks.map((c) => c.environment)).toEqual(["staging", "production"]);
    for (const check of checks) {
      expect(check.problems, check.environment).toEqual([]);
      expect(check.bindings).toEqual(expect.arrayContaining(["ModelMonitor", "AlertDispatcher", "OrgRateLimiter", "ASSETS", "REPORTS", "VIGIL_PUBLIC_URL"]));
      expect(check.gzipBytes).toBeGreaterThan(100_000);
      expect(check.gzipBytes).toBeLessThan(SIZE_LIMIT_BYTES);
    }
  }, 120_000);

  it("reports an environment wrangler does not know as a failure, not a pass", () => {
    const [check] = checkEnvironments(["no-such-env"]);
    expect(check?.problems.length).toBeGreaterThan(0);
  }, 120_000);

  it("reads cron triggers per environment from wrangler.toml", () => {
    const toml = '[triggers]\ncrons = ["0 * * * *", "0 3 * * *"]\n\n[env.a.vars]\nX = "1"\n\n[env.a.triggers]\ncrons = ["0 * * * *"]\n[env.b]\n';
    expect(cronsIn(toml)).toEqual(["0 * * * *", "0 3 * * *"]);
    expect(cronsIn(toml, "a")).toEqual(["0 * * * *"]);
    expect(cronsIn(toml, "b")).toBeNull();
  });

  it("reads binding names from wrangler's bindings table", () => {
    const table = 'Binding    Resource\nenv.ModelMonitor (ModelMonitor)   Durable Object\nenv.REPORTS (vigil-reports)  R2 Bucket\nenv.ASSETS   Assets\n';
    expect(bindingNames(table)).toEqual(["ModelMonitor", "REPORTS", "ASSETS"]);
  });
});
