import type { ApiClient } from "./client.ts";
import { array, asObject, bool, literal, nullable, num, object, str, type Parser } from "./parse.ts";

// The alert-rule contract of workers/routes/alert-rules.ts (GET /v1/rules?model=, PATCH /v1/rules/:id).

export type RuleCondition = { kind: string } & Record<string, unknown>;

export interface Rule {
  id: string;
  model: string;
  version: string | null;
  name: string;
  severity: "info" | "warning" | "critical";
  window: "5m" | "1h" | "24h";
  for: number;
  cooldownMinutes: number;
  autoResolveAfter: number;
  enabled: boolean;
  isDefault: boolean;
  condition: RuleCondition;
}

const condition: Parser<RuleCondition> = (v, p) => {
  const o = asObject(v, p);
  return { ...o, kind: str(o.kind, `${p}.kind`) };
};

export const parseRule: Parser<Rule> = (v, p) => {
  const o = object({
    id: str,
    model: str,
    version: nullable(str),
    name: str,
    severity: literal("info", "warning", "critical"),
    window: literal("5m", "1h", "24h"),
    for: num,
    cooldown_minutes: num,
    auto_resolve_after: num,
    enabled: bool,
    default: bool,
    condition,
  })(v, p);
  return {
    id: o.id,
    model: o.model,
    version: o.version,
    name: o.name,
    severity: o.severity,
    window: o.window,
    for: o.for,
    cooldownMinutes: o.cooldown_minutes,
    autoResolveAfter: o.auto_resolve_after,
    enabled: o.enabled,
    isDefault: o.default,
    condition: o.condition,
  };
};

/** The one number a person tunes per condition kind, and its field name. */
export function tunable(c: RuleCondition): { field: string; label: string } | null {
  const byKind: Record<string, { field: string; label: string }> = {
    feature_drift: { field: "threshold", label: "score threshold" },
    prediction_drift: { field: "threshold", label: "score threshold" },
    dataset_drift: { field: "share", label: "drifting share" },
    performance: { field: "value", label: "bound" },
    data_quality: { field: "max", label: "max rate" },
    latency: { field: "above_ms", label: "above ms" },
    no_data: { field: "minutes", label: "minutes" },
    volume: { field: "min_ratio", label: "min ratio" },
  };
  return byKind[c.kind] ?? null;
}

export function listRules(api: ApiClient, model: string, signal?: AbortSignal): Promise<Rule[]> {
  return api.get(`/v1/rules?model=${encodeURIComponent(model)}`, (v) => object({ rules: array(parseRule) })(v).rules, signal);
}

export interface RulePatch {
  severity?: Rule["severity"];
  for?: number;
  cooldown_minutes?: number;
  enabled?: boolean;
  condition?: RuleCondition;
}

export function patchRule(api: ApiClient, id: string, patch: RulePatch): Promise<Rule> {
  return api.send("PATCH", `/v1/rules/${encodeURIComponent(id)}`, patch, parseRule);
}
