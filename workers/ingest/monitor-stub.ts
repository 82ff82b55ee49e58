// The Durable Object of one model version. Addressed by name with getByName (not
// partyserver's getServerByName, which costs an extra round trip to await onStart):
// the monitor's RPC methods initialise their own state on first use.
import type { ModelMonitorServer as ModelMonitor } from "../../durable/model-monitor.ts";
import type { MonitorIdentity } from "../../durable/monitor/calls.ts";
import { monitorName } from "../../durable/monitor/name.ts";
import type { Bindings } from "../env.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";

export function monitorStub(env: Bindings, orgId: string, model: string, version: string): DurableObjectStub<ModelMonitor> {
  return env.ModelMonitor.getByName(monitorName(orgId, model, version));
}

/** Who the monitor is, sent with each call that may be its first (ingest, actuals). */
export function identityOf(record: ModelVersionRecord): MonitorIdentity {
  return { orgId: record.orgId, model: record.model, version: record.version, predictionKind: record.predictionKind };
}
