// The Durable Object of one model version. Addressed by name with getByName (not
// partyserver's getServerByName, which costs an extra round trip to await onStart):
// the monitor's RPC methods initialise their own state on first use.
import type { ModelMonitorServer as ModelMonitor } from "../../durable/model-monitor.ts";
import { monitorName } from "../../durable/monitor/name.ts";
import type { Bindings } from "../env.ts";

export function monitorStub(env: Bindings, orgId: string, model: string, version: string): DurableObjectStub<ModelMonitor> {
  return env.ModelMonitor.getByName(monitorName(orgId, model, version));
}
