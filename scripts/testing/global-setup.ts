import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { spawnGroup, stopGroup, waitForLine } from "../lib/processes.ts";
import { planTestServices } from "./test-services-plan.ts";

// `inject("services")` is typed in provided-context.d.ts.

/**
 * Starts what the workerd tests talk to (a fresh migrated database, the Neon relay,
 * the Upstash REST adapter when Redis runs) in a child process, and stops it after.
 */
export default async function setup(project: TestProject) {
  const plan = await planTestServices();
  const script = fileURLToPath(new URL("./test-services.ts", import.meta.url));
  const services = spawnGroup("test services", process.execPath, [script], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, VIGIL_TEST_PLAN: JSON.stringify(plan) },
  });
  await waitForLine(services, /READY/, 60_000);
  project.provide("services", plan);
  return () => stopGroup(services, 10_000);
}
