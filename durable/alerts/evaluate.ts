// The alert state machine, one rule at a time, pure: (rules, state, metrics, now) →
// (state, events). Storms are prevented three ways:
//   hysteresis  a rule fires only after `forEvaluations` consecutive breaches;
//   dedupe      while its alert is open, further breaches only refresh it (at most
//               one "updated" event per UPDATE_EVERY_MS), never open another;
//   cooldown    after a resolution, the rule cannot open again for `cooldownMs`.
// A rule resolves itself after `autoResolveAfter` consecutive clear evaluations.
import { checkRule } from "./conditions.ts";
import type { Evidence } from "./evidence.ts";
import type { MonitorMetrics, WindowName } from "./metrics.ts";
import type { AlertRule, RuleKind, Severity } from "./rules.ts";

export const UPDATE_EVERY_MS = 60_000;

export interface RuleState {
  breaches: number;
  clears: number;
  /** Unix ms the current alert opened; null while none is open. */
  openedAt: number | null;
  lastUpdateAt: number | null;
  resolvedAt: number | null;
}

export type AlertEventType = "fired" | "updated" | "resolved";

export interface AlertEvent {
  /** Unique and stable: the dispatcher uses it to apply each event once. */
  id: string;
  type: AlertEventType;
  ruleId: string;
  ruleName: string;
  ruleKind: RuleKind;
  window: WindowName;
  severity: Severity;
  /** Identifies one open→resolved episode of a rule. */
  firingId: string;
  at: number;
  evidence: Evidence | null;
}

export type RuleStates = Record<string, RuleState>;

export const INITIAL_STATE: RuleState = { breaches: 0, clears: 0, openedAt: null, lastUpdateAt: null, resolvedAt: null };

function event(rule: AlertRule, type: AlertEventType, openedAt: number, at: number, evidence: Evidence | null): AlertEvent {
  const firingId = `${rule.id}@${openedAt}`;
  return { id: `${firingId}:${type}:${at}`, type, ruleId: rule.id, ruleName: rule.name, ruleKind: rule.condition.kind, window: rule.window, severity: rule.severity, firingId, at, evidence };
}

export function evaluateRule(rule: AlertRule, prev: RuleState, metrics: MonitorMetrics, now: number): { state: RuleState; events: AlertEvent[] } {
  if (!rule.enabled) return { state: prev, events: [] };
  const verdict = checkRule(rule, metrics, now);
  if (verdict.breached === null) return { state: prev, events: [] };
  if (verdict.breached) {
    const s: RuleState = { ...prev, breaches: prev.breaches + 1, clears: 0 };
    if (s.openedAt !== null) {
      if (s.lastUpdateAt !== null && now - s.lastUpdateAt < UPDATE_EVERY_MS) return { state: s, events: [] };
      return { state: { ...s, lastUpdateAt: now }, events: [event(rule, "updated", s.openedAt, now, verdict.evidence)] };
    }
    const coolingDown = s.resolvedAt !== null && now - s.resolvedAt < rule.cooldownMs;
    if (s.breaches < rule.forEvaluations || coolingDown) return { state: s, events: [] };
    return { state: { ...s, openedAt: now, lastUpdateAt: now }, events: [event(rule, "fired", now, now, verdict.evidence)] };
  }
  const s: RuleState = { ...prev, breaches: 0, clears: prev.clears + 1 };
  if (s.openedAt === null || rule.autoResolveAfter <= 0 || s.clears < rule.autoResolveAfter) return { state: s, events: [] };
  const resolved = event(rule, "resolved", s.openedAt, now, verdict.evidence);
  return { state: { ...s, openedAt: null, lastUpdateAt: null, resolvedAt: now }, events: [resolved] };
}

/** Evaluates every rule once. States of rules no longer present are dropped. */
export function evaluateRules(rules: readonly AlertRule[], states: RuleStates, metrics: MonitorMetrics, now: number): { states: RuleStates; events: AlertEvent[] } {
  const next: RuleStates = {};
  const events: AlertEvent[] = [];
  for (const rule of rules) {
    const r = evaluateRule(rule, states[rule.id] ?? INITIAL_STATE, metrics, now);
    next[rule.id] = r.state;
    events.push(...r.events);
  }
  return { states: next, events };
}

/**
 * A person resolved the alert in the API while the rule still thought it open: start
 * the cooldown from that moment, so a persisting condition fires again afterwards
 * instead of being silenced for good.
 */
export function resolvedElsewhere(prev: RuleState, resolvedAt: number): RuleState {
  if (prev.openedAt === null) return prev;
  return { ...prev, openedAt: null, lastUpdateAt: null, resolvedAt, breaches: 0 };
}
