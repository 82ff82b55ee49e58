// Slack incoming webhook with Block Kit: a header, the model and rule as fields, the
// top scores, and a button to the dashboard. `text` is the notification fallback.
import { headline, scoreLines, type ChannelTarget, type Notification, type OutboundRequest } from "./notification.ts";
import { slackReport } from "./report.ts";

const EMOJI = { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:" } as const;

export function slackBody(n: Notification): Record<string, unknown> {
  const a = n.alert;
  const title = headline(n);
  const blocks: Record<string, unknown>[] = [{ type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: true } }];
  if (a) {
    const status = n.type === "alert.resolved" ? ":white_check_mark: resolved" : `${EMOJI[a.severity]} ${a.severity}`;
    blocks.push({
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Model*\n${a.model} ${a.version}` },
        { type: "mrkdwn", text: `*Rule*\n${a.rule.name} (${a.rule.kind})` },
        { type: "mrkdwn", text: `*Status*\n${status}` },
        { type: "mrkdwn", text: `*Window*\n${a.window}` },
      ],
    });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: a.summary.slice(0, 3000) } });
    const scores = scoreLines(a);
    if (scores.length) blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Scores*\n${scores.map((s) => `• ${s}`).join("\n")}` } });
  } else {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: "This is a test message from Vigil. Your Slack channel is connected." } });
  }
  if (n.note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Note from ${n.actor}: ${n.note}` }] });
  blocks.push({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: "Open in Vigil" }, url: n.links.alert ?? n.links.dashboard }],
  });
  return { text: title, blocks };
}

export function slackRequest(channel: ChannelTarget, n: Notification): OutboundRequest {
  const body = n.report ? slackReport(n, n.report) : slackBody(n);
  return { url: String(channel.config.url), headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
