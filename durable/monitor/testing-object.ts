// A fresh ModelMonitor object for tests that run inside workerd (`cloudflare:test`): its
// own model name, so no test sees another's state. Apart from testing.ts, which Node-side
// benchmarks import too and so must not reach the workerd-only test environment.
import { testEnv } from "../../workers/testing/seed.ts";
import { testIdentity } from "./testing.ts";

let counter = 0;

/** A new object's stub and the identity its calls should carry; `prefix` names the test in the model name. */
export function freshMonitorObject(prefix: string) {
  counter++;
  const identity = testIdentity(`${prefix}${counter}-${Date.now()}`, "v1");
  return { stub: testEnv.ModelMonitor.getByName(`${identity.orgId}:${identity.model}:v1`), identity };
}
