// A scheduled report's notification on each channel kind: the vendor contracts Slack and
// Teams messages are held to (vendor-contracts.ts), a PagerDuty change event (not an
// incident) with the download link, and the signed webhook carrying the report as is.
import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.ts";
import { PAGERDUTY_EVENTS_URL } from "./pagerduty.ts";
import { PAGERDUTY_CHANGE_URL } from "./report.ts";
import { buildRequest } from "./request.ts";
import { verifySignature } from "./signature.ts";
import { target } from "./testing.ts";
import { slackMessage, teamsMessage } from "./vendor-contracts.ts";

const NOW = 1795683600;
const DOWNLOAD = "https://vigil.example.com/v1/reports/6f1c0a52-3c1e-4d55-9a52-4b2f7d0f9a10/download";
const REPORT: Notification = {
  id: "report:6f1c0a52-3c1e-4d55-9a52-4b2f7d0f9a10",
  type: "report.ready",
  created_at: "2026-12-07T07:00:04.000Z",
  alert: null,
  actor: "system:report-schedule:1",
  note: null,
  links: { alert: null, dashboard: "https://vigil.example.com/#/reports" },
  report: {
    id: "6f1c0a52-3c1e-4d55-9a52-4b2f7d0f9a10", title: "drift credit v3, 2026-11-30T07:00Z to 2026-12-07T07:00Z", kind: "drift", format: "pdf",
    schedule: { id: "2d0b3c1e-0000-4000-8000-000000000001", name: "Weekly drift" }, model: "credit", version: "v3", project: null,
    from: "2026-11-30T07:00:00.000Z", to: "2026-12-07T07:00:00.000Z", generated_at: "2026-12-07T07:00:04.000Z",
    sha256: "a".repeat(64), content_sha256: "b".repeat(64), size_bytes: 120_000, file_name: "vigil_drift_credit_v3.pdf", download_url: DOWNLOAD,
  },
};
const body = async (kind: Parameters<typeof target>[0], config: Record<string, unknown>, secret: string | null = null) => buildRequest(target(kind, config, secret), REPORT, "d-1", NOW);

describe("report.ready on each channel", () => {
  it("Slack: a valid message with the SHA-256 and a Download button to the file", async () => {
    const req = await body("slack", { url: "https://hooks.slack.com/services/T/B/X" });
    const msg = JSON.parse(req.body);
    expect(slackMessage.safeParse(msg).success).toBe(true);
    expect(msg.text).toBe(`Vigil report: ${REPORT.report!.title}`);
    expect(JSON.stringify(msg.blocks)).toContain("a".repeat(64));
    expect(msg.blocks.at(-1).elements[0]).toMatchObject({ text: { text: "Download" }, url: DOWNLOAD });
  });

  it("Teams: a valid Adaptive Card with the facts and a Download action", async () => {
    const msg = JSON.parse((await body("teams", { url: "https://example.webhook.office.com/x" })).body);
    expect(teamsMessage.safeParse(msg).success).toBe(true);
    const card = msg.attachments[0].content;
    expect(card.actions[0]).toEqual({ type: "Action.OpenUrl", title: "Download", url: DOWNLOAD });
    expect(card.body[1].facts).toContainEqual({ title: "Scope", value: "credit v3" });
  });

  it("PagerDuty: a change event (no incident) to the Change Events API, with the link", async () => {
    for (const config of [{ routing_key: "rk" }, { routing_key: "rk", url: PAGERDUTY_EVENTS_URL }]) {
      const req = await body("pagerduty", config);
      expect(req.url).toBe(PAGERDUTY_CHANGE_URL);
      const e = JSON.parse(req.body);
      expect(e).not.toHaveProperty("event_action");
      expect(e).toMatchObject({ routing_key: "rk", payload: { summary: `Vigil report: ${REPORT.report!.title}`, source: "vigil", timestamp: REPORT.report!.generated_at }, links: [{ href: DOWNLOAD }, { href: REPORT.links.dashboard }] });
    }
    expect((await body("pagerduty", { routing_key: "rk", url: "https://pd-proxy.example.com/change" })).url).toBe("https://pd-proxy.example.com/change");
  });

  it("webhook: the notification with the report, signed", async () => {
    const req = await body("webhook", { url: "https://receiver.example.com/h" }, "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=");
    expect(JSON.parse(req.body)).toEqual(JSON.parse(JSON.stringify(REPORT)));
    expect((await verifySignature("whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: "d-1" })).ok).toBe(true);
  });
});
