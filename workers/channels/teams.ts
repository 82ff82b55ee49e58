// Microsoft Teams "post to a channel when a webhook request is received" workflow:
// a message whose one attachment is an Adaptive Card (schema 1.4, which Teams renders).
import { headline, round, type ChannelTarget, type Notification, type OutboundRequest } from "./notification.ts";
import { teamsReport } from "./report.ts";

const COLOR = { critical: "Attention", warning: "Warning", info: "Accent" } as const;

export function adaptiveCard(n: Notification): Record<string, unknown> {
  const a = n.alert;
  const body: Record<string, unknown>[] = [
    { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, text: headline(n), color: a ? (n.type === "alert.resolved" ? "Good" : COLOR[a.severity]) : "Default" },
  ];
  if (a) {
    body.push({
      type: "FactSet",
      facts: [
        { title: "Model", value: `${a.model} ${a.version}` },
        { title: "Rule", value: `${a.rule.name} (${a.rule.kind})` },
        { title: "Severity", value: a.severity },
        { title: "Status", value: a.status },
        { title: "Window", value: a.window },
      ],
    });
    body.push({ type: "TextBlock", wrap: true, text: a.summary });
    if (a.features.length) {
      body.push({ type: "FactSet", facts: a.features.slice(0, 5).map((f) => ({ title: f.feature, value: `${f.method ?? "score"} ${round(f.score)} (threshold ${round(f.threshold)})` })) });
    }
  } else {
    body.push({ type: "TextBlock", wrap: true, text: "This is a test message from Vigil. Your Teams channel is connected." });
  }
  if (n.note) body.push({ type: "TextBlock", wrap: true, isSubtle: true, text: `Note from ${n.actor}: ${n.note}` });
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
    actions: [{ type: "Action.OpenUrl", title: "Open in Vigil", url: n.links.alert ?? n.links.dashboard }],
  };
}

export function teamsRequest(channel: ChannelTarget, n: Notification): OutboundRequest {
  const card = n.report ? teamsReport(n, n.report) : adaptiveCard(n);
  const body = { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }] };
  return { url: String(channel.config.url), headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
