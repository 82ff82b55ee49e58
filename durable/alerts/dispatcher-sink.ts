// The AlertSink a ModelMonitor uses in production: its org's AlertDispatcher (one
// Durable Object per org, name = org id), reached over RPC.
import type { AlertEnvelope, AlertSink, MonitorRules } from "./envelope.ts";

interface DispatcherRpc {
  rulesFor(orgId: string, model: string, version: string): Promise<MonitorRules>;
  enqueue(orgId: string, envelopes: AlertEnvelope[]): Promise<number>;
}

export interface DispatcherNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): DispatcherRpc;
}

export function dispatcherSink(ns: DispatcherNamespace): AlertSink {
  const stub = (orgId: string) => ns.get(ns.idFromName(orgId));
  return {
    rulesFor: (orgId, model, version) => stub(orgId).rulesFor(orgId, model, version),
    enqueue: (orgId, envelopes) => stub(orgId).enqueue(orgId, envelopes),
  };
}
