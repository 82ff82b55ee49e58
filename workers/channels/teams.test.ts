// What a Teams channel shows for an alert, field by field: the vendor contract check
// (payloads.test.ts) proves the Adaptive Card shape, these prove the content.
import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.ts";
import { teamsRequest } from "./teams.ts";
import { RESOLVED_NOTIFICATION, SAMPLE_NOTIFICATION, target } from "./testing.ts";

const card = (n: Notification) => {
  const request = teamsRequest(target("teams", { url: "https://example.webhook.office.com/webhookb2/x" }), n);
  const message = JSON.parse(request.body) as { type: string; attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> & { body: Record<string, unknown>[] } }[] };
  return { request, message, content: message.attachments[0]!.content };
};

describe("Teams cards", () => {
  it("shows an opened alert's headline in its severity's color, its facts, summary, scores and link", () => {
    const { request, message, content } = card(SAMPLE_NOTIFICATION);
    expect(request.url).toBe("https://example.webhook.office.com/webhookb2/x");
    expect(request.headers).toEqual({ "content-type": "application/json" });
    expect(message.type).toBe("message");
    expect(message.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(content).toEqual({
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      type: "AdaptiveCard",
      version: "1.4",
      body: [
        { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, text: "[CRITICAL] Feature drift on credit-risk v3", color: "Attention" },
        {
          type: "FactSet",
          facts: [
            { title: "Model", value: "credit-risk v3" },
            { title: "Rule", value: "Feature drift (feature_drift)" },
            { title: "Severity", value: "critical" },
            { title: "Status", value: "open" },
            { title: "Window", value: "5m" },
          ],
        },
        { type: "TextBlock", wrap: true, text: "2 feature(s) drifted; worst income wasserstein_normed 0.412 (threshold 0.100)" },
        { type: "FactSet", facts: [{ title: "income", value: "wasserstein_normed 0.412 (threshold 0.1)" }, { title: "age", value: "wasserstein_normed 0.18 (threshold 0.1)" }] },
      ],
      actions: [{ type: "Action.OpenUrl", title: "Open in Vigil", url: "https://vigil.example.com/alerts/5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f" }],
    });
  });

  it("colors a resolved alert good, names a score without a method as a score, shows the note and leaves out no-score facts", () => {
    const withMethodless: Notification = { ...RESOLVED_NOTIFICATION, actor: "ana@example.com", note: "retrained", alert: { ...RESOLVED_NOTIFICATION.alert!, features: [{ feature: "age", score: 0.5, threshold: 0.25 }] } };
    const { content } = card(withMethodless);
    expect(content.body[0]).toMatchObject({ color: "Good" });
    expect(content.body[3]).toEqual({ type: "FactSet", facts: [{ title: "age", value: "score 0.5 (threshold 0.25)" }] });
    expect(content.body[4]).toEqual({ type: "TextBlock", wrap: true, isSubtle: true, text: "Note from ana@example.com: retrained" });
    const noScores: Notification = { ...SAMPLE_NOTIFICATION, alert: { ...SAMPLE_NOTIFICATION.alert!, features: [] } };
    expect(card(noScores).content.body.map((b) => b.type)).toEqual(["TextBlock", "FactSet", "TextBlock"]);
  });

  it("says a channel test is one, in the default color, linking the dashboard", () => {
    const test: Notification = { ...SAMPLE_NOTIFICATION, id: "test-1", type: "test", alert: null, links: { alert: null, dashboard: "https://vigil.example.com/" } };
    const { content } = card(test);
    expect(content.body).toEqual([
      { type: "TextBlock", size: "Large", weight: "Bolder", wrap: true, text: "Vigil test notification (test-1)", color: "Default" },
      { type: "TextBlock", wrap: true, text: "This is a test message from Vigil. Your Teams channel is connected." },
    ]);
    expect(content.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Vigil", url: "https://vigil.example.com/" }]);
  });
});
