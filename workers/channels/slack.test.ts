// What a Slack channel shows for an alert, field by field: the vendor contract check
// (payloads.test.ts) proves the Block Kit shape, these prove the content.
import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.ts";
import { slackRequest } from "./slack.ts";
import { RESOLVED_NOTIFICATION, SAMPLE_NOTIFICATION, target } from "./testing.ts";

const sent = (n: Notification) => {
  const request = slackRequest(target("slack", { url: "https://hooks.slack.com/services/T0/B0/X" }), n);
  return { ...request, body: JSON.parse(request.body) as { text: string; blocks: Record<string, unknown>[] } };
};

const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

describe("Slack messages", () => {
  it("shows an opened alert's model, rule, severity, window, summary, scores and link", () => {
    const { url, headers, body } = sent(SAMPLE_NOTIFICATION);
    expect(url).toBe("https://hooks.slack.com/services/T0/B0/X");
    expect(headers).toEqual({ "content-type": "application/json" });
    expect(body).toEqual({
      text: "[CRITICAL] Feature drift on credit-risk v3",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "[CRITICAL] Feature drift on credit-risk v3", emoji: true } },
        { type: "section", fields: [mrkdwn("*Model*\ncredit-risk v3"), mrkdwn("*Rule*\nFeature drift (feature_drift)"), mrkdwn("*Status*\n:red_circle: critical"), mrkdwn("*Window*\n5m")] },
        { type: "section", text: mrkdwn("2 feature(s) drifted; worst income wasserstein_normed 0.412 (threshold 0.100)") },
        { type: "section", text: mrkdwn("*Scores*\n• income: wasserstein_normed 0.412 (threshold 0.1)\n• age: wasserstein_normed 0.18 (threshold 0.1)") },
        { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Vigil" }, url: "https://vigil.example.com/alerts/5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f" }] },
      ],
    });
  });

  it("marks a resolved alert resolved, shows who acted and why, and leaves out an empty score list", () => {
    const n: Notification = { ...RESOLVED_NOTIFICATION, actor: "ana@example.com", note: "retrained on November data", alert: { ...RESOLVED_NOTIFICATION.alert!, features: [] } };
    const { blocks } = sent(n).body;
    expect(blocks[1]).toMatchObject({ fields: expect.arrayContaining([mrkdwn("*Status*\n:white_check_mark: resolved")]) });
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
    expect(blocks[3]).toEqual({ type: "context", elements: [mrkdwn("Note from ana@example.com: retrained on November data")] });
  });

  it("cuts a long title to Slack's 150-character header limit and keeps it whole in the text", () => {
    const long: Notification = { ...SAMPLE_NOTIFICATION, alert: { ...SAMPLE_NOTIFICATION.alert!, rule: { ...SAMPLE_NOTIFICATION.alert!.rule, name: "r".repeat(200) } } };
    const { body } = sent(long);
    expect((body.blocks[0]!.text as { text: string }).text).toHaveLength(150);
    expect(body.text.length).toBeGreaterThan(150);
  });

  it("says a channel test is one, linking the dashboard", () => {
    const test: Notification = { ...SAMPLE_NOTIFICATION, id: "test-1", type: "test", alert: null, links: { alert: null, dashboard: "https://vigil.example.com/" } };
    expect(sent(test).body.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Vigil test notification (test-1)", emoji: true } },
      { type: "section", text: mrkdwn("This is a test message from Vigil. Your Slack channel is connected.") },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Vigil" }, url: "https://vigil.example.com/" }] },
    ]);
  });
});
