// How a `report.ready` notification (a scheduled report, workers/reports/schedules/) looks
// on each chat and paging channel: what the report is, its range and SHA-256, and a link
// to download it. Generic webhooks get the notification itself, signed (webhook.ts).
import type { Notification, ReportSnapshot } from "./notification.ts";

/** PagerDuty's Change Events API: informational, opens no incident, carries links. */
export const PAGERDUTY_CHANGE_URL = "https://events.pagerduty.com/v2/change/enqueue";

function scopeOf(r: ReportSnapshot): string {
  return r.model ? `${r.model}${r.version ? ` ${r.version}` : ""}` : r.project ? `project ${r.project}` : "the whole org";
}

function lines(r: ReportSnapshot): Array<[string, string]> {
  return [
    ["Report", `${r.kind} (${r.format.toUpperCase()})`],
    ["Scope", scopeOf(r)],
    ["Range (UTC)", `${r.from} to ${r.to}`],
    ["Schedule", r.schedule.name],
    ["SHA-256", r.sha256],
  ];
}

export function slackReport(n: Notification, r: ReportSnapshot): Record<string, unknown> {
  return {
    text: `Vigil report: ${r.title}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: `Vigil report: ${r.title}`.slice(0, 150), emoji: true } },
      { type: "section", fields: lines(r).slice(0, 4).map(([k, v]) => ({ type: "mrkdwn", text: `*${k}*\n${v}` })) },
      { type: "context", elements: [{ type: "mrkdwn", text: `SHA-256 \`${r.sha256}\`` }] },
      {
        type: "actions",
        elements: [
          { type: "button", text: { type: "plain_text", text: "Download" }, url: r.download_url },
          { type: "button", text: { type: "plain_text", text: "Open in Vigil" }, url: n.links.dashboard },
        ],
      },
    ],
  };
}

export function teamsReport(n: Notification, r: ReportSnapshot): Record<string, unknown> {
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, text: `Vigil report: ${r.title}` },
      { type: "FactSet", facts: lines(r).map(([title, value]) => ({ title, value })) },
    ],
    actions: [
      { type: "Action.OpenUrl", title: "Download", url: r.download_url },
      { type: "Action.OpenUrl", title: "Open in Vigil", url: n.links.dashboard },
    ],
  };
}

export function pagerDutyReport(routingKey: string, n: Notification, r: ReportSnapshot): Record<string, unknown> {
  return {
    routing_key: routingKey,
    payload: {
      summary: `Vigil report: ${r.title}`.slice(0, 1024),
      timestamp: r.generated_at,
      source: "vigil",
      custom_details: Object.fromEntries(lines(r)),
    },
    links: [{ href: r.download_url, text: "Download the report" }, { href: n.links.dashboard, text: "Open in Vigil" }],
  };
}
