// The documented request contracts of the SaaS receivers we cannot reach from tests,
// as zod schemas. Sources:
//   Slack: api.slack.com/messaging/webhooks and Block Kit reference (header text
//     plain_text ≤ 150 chars, section text ≤ 3000, ≤ 10 fields, ≤ 50 blocks; button url).
//   PagerDuty: Events API v2 (developer.pagerduty.com, "Send an Alert Event"):
//     routing_key, event_action trigger|acknowledge|resolve, dedup_key ≤ 255; a trigger
//     needs payload.summary ≤ 1024, payload.source, payload.severity critical|error|warning|info.
//   Teams: "Post to a channel when a webhook request is received" workflow: a message
//     with attachments[].contentType application/vnd.microsoft.card.adaptive and an
//     AdaptiveCard (version ≤ 1.5 renders in Teams) as content.
//   GitHub: POST /repos/{owner}/{repo}/dispatches with event_type ≤ 100 chars and
//     client_payload with at most 10 top-level properties.
import { z } from "zod";

const plain = (max: number) => z.object({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) => z.object({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max) });

export const slackMessage = z.object({
  text: z.string().min(1),
  blocks: z
    .array(
      z.discriminatedUnion("type", [
        z.object({ type: z.literal("header"), text: plain(150) }),
        z.object({ type: z.literal("section"), text: mrkdwn(3000).optional(), fields: z.array(mrkdwn(2000)).max(10).optional() }).refine((s) => s.text || s.fields, "section needs text or fields"),
        z.object({ type: z.literal("context"), elements: z.array(mrkdwn(3000)).min(1).max(10) }),
        z.object({ type: z.literal("actions"), elements: z.array(z.object({ type: z.literal("button"), text: plain(75), url: z.url().max(3000) })).min(1).max(25) }),
      ]),
    )
    .max(50),
});

export const pagerDutyEvent = z.discriminatedUnion("event_action", [
  z.object({
    routing_key: z.string().min(1),
    event_action: z.literal("trigger"),
    dedup_key: z.string().min(1).max(255),
    payload: z.object({
      summary: z.string().min(1).max(1024),
      source: z.string().min(1),
      severity: z.enum(["critical", "error", "warning", "info"]),
      timestamp: z.iso.datetime().optional(),
      component: z.string().optional(),
      group: z.string().optional(),
      class: z.string().optional(),
      custom_details: z.record(z.string(), z.unknown()).optional(),
    }),
    client: z.string().optional(),
    client_url: z.url().optional(),
    links: z.array(z.object({ href: z.url(), text: z.string() })).optional(),
  }),
  z.object({ routing_key: z.string().min(1), event_action: z.literal("acknowledge"), dedup_key: z.string().min(1).max(255) }).strict(),
  z.object({ routing_key: z.string().min(1), event_action: z.literal("resolve"), dedup_key: z.string().min(1).max(255) }).strict(),
]);

const cardElement = z.object({ type: z.enum(["TextBlock", "FactSet", "ColumnSet", "Container", "Image"]) }).loose();
export const teamsMessage = z.object({
  type: z.literal("message"),
  attachments: z
    .array(
      z.object({
        contentType: z.literal("application/vnd.microsoft.card.adaptive"),
        contentUrl: z.null(),
        content: z.object({
          $schema: z.literal("http://adaptivecards.io/schemas/adaptive-card.json"),
          type: z.literal("AdaptiveCard"),
          version: z.enum(["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"]),
          body: z.array(cardElement).min(1),
          actions: z.array(z.object({ type: z.literal("Action.OpenUrl"), title: z.string(), url: z.url() })).optional(),
        }),
      }),
    )
    .length(1),
});

export const githubDispatch = z.object({
  event_type: z.string().min(1).max(100),
  client_payload: z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length <= 10, "client_payload has more than 10 top-level properties"),
});
