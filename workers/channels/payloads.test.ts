import { describe, expect, it } from "vitest";
import { adaptiveCard } from "./teams.ts";
import { buildRequest } from "./request.ts";
import { RESOLVED_NOTIFICATION, SAMPLE_NOTIFICATION, target } from "./testing.ts";
import { githubDispatch, pagerDutyEvent, slackMessage, teamsMessage } from "./vendor-contracts.ts";
import { verifySignature } from "./signature.ts";
import slackFixture from "./fixtures/slack-opened.json";
import pagerDutyTrigger from "./fixtures/pagerduty-trigger.json";
import pagerDutyResolve from "./fixtures/pagerduty-resolve.json";
import teamsFixture from "./fixtures/teams-opened.json";
import githubFixture from "./fixtures/github-dispatch.json";

const NOW = 1795683600;
const body = async (kind: Parameters<typeof target>[0], config: Record<string, unknown>, n = SAMPLE_NOTIFICATION) =>
  JSON.parse((await buildRequest(target(kind, config), n, "d-1", NOW)).body) as Record<string, unknown>;

describe("channel payloads match the vendors' documented contracts and the recorded fixtures", () => {
  it("Slack: Block Kit with model, rule, scores and a dashboard button", async () => {
    const b = await body("slack", { url: "https://hooks.slack.com/services/T/B/X" });
    expect(slackMessage.safeParse(b).error).toBeUndefined();
    expect(b).toEqual(slackFixture);
    const text = JSON.stringify(b);
    expect(text).toContain("credit-risk v3");
    expect(text).toContain("income: wasserstein_normed 0.412 (threshold 0.1)");
    expect(text).toContain(SAMPLE_NOTIFICATION.links.alert);
  });

  it("PagerDuty: trigger with mapped severity, then resolve with the same dedup_key", async () => {
    const trigger = await body("pagerduty", { routing_key: "R0UT1NGKEY00000000000000000000AB" });
    expect(pagerDutyEvent.safeParse(trigger).error).toBeUndefined();
    expect(trigger).toEqual(pagerDutyTrigger);
    const resolve = await body("pagerduty", { routing_key: "R0UT1NGKEY00000000000000000000AB" }, RESOLVED_NOTIFICATION);
    expect(pagerDutyEvent.safeParse(resolve).error).toBeUndefined();
    expect(resolve).toEqual(pagerDutyResolve);
    expect(resolve.dedup_key).toBe(trigger.dedup_key);
  });

  it.each([["critical", "critical"], ["warning", "warning"], ["info", "info"]] as const)("PagerDuty maps severity %s to %s", async (ours, theirs) => {
    const n = { ...SAMPLE_NOTIFICATION, alert: { ...SAMPLE_NOTIFICATION.alert!, severity: ours } };
    const b = await body("pagerduty", { routing_key: "k" }, n);
    expect((b.payload as { severity: string }).severity).toBe(theirs);
  });

  it("PagerDuty sends to the Events API unless a url overrides it", async () => {
    expect((await buildRequest(target("pagerduty", { routing_key: "k" }), SAMPLE_NOTIFICATION, "d", NOW)).url).toBe("https://events.pagerduty.com/v2/enqueue");
  });

  it("Teams: one Adaptive Card attachment", async () => {
    const b = await body("teams", { url: "https://prod-00.westus.logic.azure.com/workflows/x" });
    expect(teamsMessage.safeParse(b).error).toBeUndefined();
    expect(b).toEqual(teamsFixture);
    expect(adaptiveCard(RESOLVED_NOTIFICATION).body).toContainEqual(expect.objectContaining({ color: "Good" }));
  });

  it("Retrain via GitHub repository_dispatch carries the evidence in client_payload", async () => {
    const req = await buildRequest(target("retrain", { format: "github", repo: "acme/models", token: "ghp_x", event_type: "retrain-credit-risk" }), { ...SAMPLE_NOTIFICATION, type: "retrain.requested" }, "d-1", NOW);
    expect(req.url).toBe("https://api.github.com/repos/acme/models/dispatches");
    expect(req.headers).toMatchObject({ accept: "application/vnd.github+json", authorization: "Bearer ghp_x", "x-github-api-version": "2022-11-28" });
    const b = JSON.parse(req.body);
    expect(githubDispatch.safeParse(b).error).toBeUndefined();
    expect(b).toEqual(githubFixture);
  });

  it("Retrain via generic webhook is signed and carries the same evidence", async () => {
    const req = await buildRequest(target("retrain", { url: "https://ml.example.com/retrain" }, "whsec_r"), { ...SAMPLE_NOTIFICATION, type: "retrain.requested" }, "d-9", NOW);
    expect(req.headers["idempotency-key"]).toBe("d-9");
    expect(req.headers["webhook-id"]).toBe("d-9");
    expect(await verifySignature("whsec_r", req.body, req.headers["vigil-signature"]!, NOW)).toEqual({ ok: true, timestamp: NOW });
    expect(await verifySignature("whsec_r", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: "d-9" })).toEqual({ ok: true, timestamp: NOW });
    const b = JSON.parse(req.body);
    expect(b.evidence).toEqual((githubFixture as { client_payload: unknown }).client_payload);
  });

  it("Generic webhook: the notification itself, signed over t.body, with the delivery id as Idempotency-Key", async () => {
    const req = await buildRequest(target("webhook", { url: "https://example.com/hook" }, "whsec_w"), SAMPLE_NOTIFICATION, "d-42", NOW);
    expect(JSON.parse(req.body)).toEqual(SAMPLE_NOTIFICATION);
    expect(req.headers["idempotency-key"]).toBe("d-42");
    expect(req.headers["vigil-signature"]).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64},v2=[0-9a-f]{64}$`));
    expect((await verifySignature("whsec_w", req.body, req.headers["vigil-signature"]!, NOW)).ok).toBe(true);
    expect((await verifySignature("whsec_w", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: "d-42" })).ok).toBe(true);
    // Standard Webhooks: the delivery id, this attempt's time, a v1 signature.
    expect(req.headers).toMatchObject({ "webhook-id": "d-42", "webhook-timestamp": String(NOW), "webhook-signature": expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) });
  });

  it("Slack, Teams and PagerDuty requests carry no Vigil headers their vendors would not expect", async () => {
    for (const [kind, config] of [["slack", { url: "https://hooks.slack.com/services/T/B/X" }], ["teams", { url: "https://example.com/wf" }], ["pagerduty", { routing_key: "k" }]] as const) {
      const req = await buildRequest(target(kind, config, "whsec_unused"), SAMPLE_NOTIFICATION, "d-1", NOW);
      expect(Object.keys(req.headers)).toEqual(["content-type"]);
    }
  });
});
