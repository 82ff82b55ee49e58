// `npm run deploy:check`: builds each deployed environment the way `wrangler deploy`
// would (`wrangler deploy --dry-run --outdir`, offline) and fails when
//   - an environment lacks a binding the top-level configuration has (the one
//     `npm run types` generates the code's Env type from), or one listed in REQUIRED_EXTRA;
//   - an environment's cron triggers differ from the top level's (the schedules
//     workers/scheduled/ runs jobs for: without them the hourly audit anchors never run);
//   - the Worker bundle, gzip-compressed, exceeds the Workers size limit (10 MB compressed
//     on the paid plan; the margin is printed).
// docs/deploy.md explains the environments.
//
//   node scripts/deploy-check.ts [--env staging --env production]

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const ROOT = join(import.meta.dirname, "..");
export const ENVIRONMENTS = ["staging", "production"] as const;
/** Workers script size limit, compressed, on the paid plan (developers.cloudflare.com/workers/platform/limits). */
export const SIZE_LIMIT_BYTES = 10 * 1024 * 1024;
/** Bindings every deployed environment needs beyond the top level's (reports live in R2 there). */
export const REQUIRED_EXTRA = ["REPORTS"];

export interface EnvironmentCheck {
  environment: string;
  bindings: string[];
  missing: string[];
  gzipBytes: number;
  problems: string[];
}

/**
 * The `crons = [...]` of a `[triggers]` table in wrangler.toml (`[triggers]` for the top
 * level, `[env.<name>.triggers]` for an environment); null when the table is absent.
 */
export function cronsIn(toml: string, environment?: string): string[] | null {
  const header = environment ? `[env.${environment}.triggers]` : "[triggers]";
  const at = toml.split("\n").findIndex((line) => line.trim() === header);
  if (at < 0) return null;
  const rest = toml.split("\n").slice(at + 1);
  const end = rest.findIndex((line) => line.trim().startsWith("["));
  const body = (end < 0 ? rest : rest.slice(0, end)).join("\n");
  const list = /crons\s*=\s*\[([^\]]*)\]/.exec(body);
  return list ? [...(list[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1] as string).sort() : [];
}

/** Binding names from wrangler's "Your Worker has access to the following bindings" table. */
export function bindingNames(output: string): string[] {
  return [...output.matchAll(/^env\.([A-Za-z_][A-Za-z0-9_]*)/gm)].map((m) => m[1] as string);
}

function dryRun(environment: string | undefined, outdir: string): { output: string; status: number | null } {
  const args = ["deploy", "--dry-run", "--outdir", outdir, ...(environment ? ["--env", environment] : [])];
  const result = spawnSync(join(ROOT, "node_modules", ".bin", "wrangler"), args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  return { output: `${result.stdout}\n${result.stderr}`, status: result.status };
}

/** gzip size of the uploaded modules (the bundle, not its source map). */
function bundleGzipBytes(outdir: string): number {
  let total = 0;
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (name.endsWith(".map") || name === "README.md" || !statSync(path).isFile()) continue;
    total += gzipSync(readFileSync(path), { level: 9 }).length;
  }
  return total;
}

export function checkEnvironments(environments: readonly string[]): EnvironmentCheck[] {
  const work = mkdtempSync(join(tmpdir(), "vigil-deploy-check-"));
  try {
    const top = dryRun(undefined, join(work, "top"));
    if (top.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${top.output.slice(-2000)}`);
    const required = [...new Set([...bindingNames(top.output), ...REQUIRED_EXTRA])];
    const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
    const crons = cronsIn(toml) ?? [];
    return environments.map((environment) => {
      const outdir = join(work, environment);
      const run = dryRun(environment, outdir);
      const problems: string[] = [];
      if (run.status !== 0) return { environment, bindings: [], missing: required, gzipBytes: 0, problems: [`wrangler failed: ${run.output.slice(-1000)}`] };
      const bindings = bindingNames(run.output);
      const missing = required.filter((name) => !bindings.includes(name));
      if (missing.length > 0) problems.push(`missing bindings: ${missing.join(", ")}`);
      const envCrons = cronsIn(toml, environment) ?? [];
      if (envCrons.join("|") !== crons.join("|")) problems.push(`cron triggers ${JSON.stringify(envCrons)} differ from the top level's ${JSON.stringify(crons)}`);
      const gzipBytes = bundleGzipBytes(outdir);
      if (gzipBytes > SIZE_LIMIT_BYTES) problems.push(`bundle is ${(gzipBytes / 2 ** 20).toFixed(2)} MiB gzip, over the ${SIZE_LIMIT_BYTES / 2 ** 20} MiB limit`);
      return { environment, bindings, missing, gzipBytes, problems };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({ options: { env: { type: "string", multiple: true } } });
  const checks = checkEnvironments(values.env ?? [...ENVIRONMENTS]);
  let failed = false;
  for (const check of checks) {
    const margin = SIZE_LIMIT_BYTES - check.gzipBytes;
    console.log(
      `${check.environment}: ${check.bindings.length} bindings, bundle ${(check.gzipBytes / 1024).toFixed(0)} KiB gzip ` +
        `(limit ${SIZE_LIMIT_BYTES / 2 ** 20} MiB, margin ${(margin / 2 ** 20).toFixed(2)} MiB, ${((100 * check.gzipBytes) / SIZE_LIMIT_BYTES).toFixed(1)} % used)`,
    );
    for (const problem of check.problems) console.log(`  FAIL ${problem}`);
    failed ||= check.problems.length > 0;
  }
  if (failed) process.exit(1);
  console.log("deploy check passed");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
