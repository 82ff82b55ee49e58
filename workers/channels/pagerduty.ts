// PagerDuty Events API v2 (POST /v2/enqueue). An alert's id is the dedup_key, so its
// trigger, acknowledge and resolve land on the same PagerDuty alert.
import { headline, scoreLines, type ChannelTarget, type Notification, type OutboundRequest } from "./notification.ts";
import { PAGERDUTY_CHANGE_URL, pagerDutyReport } from "./report.ts";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** Vigil severities map one to one onto PagerDuty's (which also has "error", unused). */
const SEVERITY = { critical: "critical", warning: "warning", info: "info" } as const;

export function pagerDutyBody(routingKey: string, n: Notification): Record<string, unknown> {
  const a = n.alert;
  const dedupKey = a ? `vigil-alert-${a.id}` : `vigil-test-${n.id}`;
  if (a && (n.type === "alert.resolved" || n.type === "alert.acknowledged")) {
    return { routing_key: routingKey, event_action: n.type === "alert.resolved" ? "resolve" : "acknowledge", dedup_key: dedupKey };
  }
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: headline(n).slice(0, 1024),
      source: a ? `${a.model}:${a.version}` : "vigil",
      severity: a ? SEVERITY[a.severity] : "info",
      timestamp: a?.opened_at ?? n.created_at,
      component: a?.model ?? "vigil",
      group: a ? `${a.model}:${a.version}` : "vigil",
      class: a?.rule.kind ?? "test",
      custom_details: a
        ? { rule: a.rule.name, window: a.window, summary: a.summary, value: a.value, threshold: a.threshold, scores: scoreLines(a, 10) }
        : { message: "test notification from Vigil" },
    },
    client: "Vigil",
    client_url: n.links.dashboard,
    links: [{ href: n.links.alert ?? n.links.dashboard, text: "Open in Vigil" }],
  };
}

export function pagerDutyRequest(channel: ChannelTarget, n: Notification): OutboundRequest {
  // A report is news, not an incident: a change event (a configured url, e.g. a proxy, is used as is).
  if (n.report) {
    const url = typeof channel.config.url === "string" && channel.config.url !== PAGERDUTY_EVENTS_URL ? channel.config.url : PAGERDUTY_CHANGE_URL;
    return { url, headers: { "content-type": "application/json" }, body: JSON.stringify(pagerDutyReport(String(channel.config.routing_key), n, n.report)) };
  }
  const url = typeof channel.config.url === "string" ? channel.config.url : PAGERDUTY_EVENTS_URL;
  return { url, headers: { "content-type": "application/json" }, body: JSON.stringify(pagerDutyBody(String(channel.config.routing_key), n)) };
}
