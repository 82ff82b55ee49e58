// What travels from a ModelMonitor to the org's alert dispatcher: an evaluator event
// and the model version it concerns.
import type { AlertEvent } from "./evaluate.ts";
import type { AlertRule } from "./rules.ts";

export interface AlertScope {
  orgId: string;
  modelId: string | null;
  model: string;
  version: string;
}

export interface AlertEnvelope {
  scope: AlertScope;
  event: AlertEvent;
}

/** A monitor's rules as the dispatcher serves them, refreshed every RULES_TTL_MS. */
export interface MonitorRules {
  modelId: string | null;
  rules: AlertRule[];
  /** Rules whose latest alert for this version is resolved, with when: the evaluator's cooldown starts there. */
  resolved: Array<{ ruleId: string; firingId: string; resolvedAt: number }>;
}

/** Where a monitor's alert step gets rules and sends events: the org's AlertDispatcher. */
export interface AlertSink {
  rulesFor(orgId: string, model: string, version: string): Promise<MonitorRules>;
  enqueue(orgId: string, envelopes: AlertEnvelope[]): Promise<number>;
}
