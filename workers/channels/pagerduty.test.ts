// What PagerDuty receives for each step of an alert's life, field by field: the vendor
// contract check (payloads.test.ts) proves the shape, these prove the content.
import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.ts";
import { PAGERDUTY_EVENTS_URL, pagerDutyRequest } from "./pagerduty.ts";
import { RESOLVED_NOTIFICATION, SAMPLE_NOTIFICATION, target } from "./testing.ts";

const sent = (n: Notification, config: Record<string, unknown> = { routing_key: "R0UT1NGKEY" }) => {
  const request = pagerDutyRequest(target("pagerduty", config), n);
  return { url: request.url, headers: request.headers, body: JSON.parse(request.body) as Record<string, unknown> };
};

const DEDUP = "vigil-alert-5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f";

describe("PagerDuty events", () => {
  it("triggers an opened alert with its severity, source, time, rule and scores, keyed by the alert", () => {
    const { url, headers, body } = sent(SAMPLE_NOTIFICATION);
    expect(url).toBe(PAGERDUTY_EVENTS_URL);
    expect(headers).toEqual({ "content-type": "application/json" });
    expect(body).toEqual({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: DEDUP,
      payload: {
        summary: "[CRITICAL] Feature drift on credit-risk v3",
        source: "credit-risk:v3",
        severity: "critical",
        timestamp: "2026-11-26T09:00:00.000Z",
        component: "credit-risk",
        group: "credit-risk:v3",
        class: "feature_drift",
        custom_details: {
          rule: "Feature drift",
          window: "5m",
          summary: "2 feature(s) drifted; worst income wasserstein_normed 0.412 (threshold 0.100)",
          value: 0.412,
          threshold: 0.1,
          scores: ["income: wasserstein_normed 0.412 (threshold 0.1)", "age: wasserstein_normed 0.18 (threshold 0.1)"],
        },
      },
      client: "Vigil",
      client_url: "https://vigil.example.com/models/credit-risk/versions/v3",
      links: [{ href: "https://vigil.example.com/alerts/5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f", text: "Open in Vigil" }],
    });
  });

  it("resolves and acknowledges the same PagerDuty alert (same dedup key), with nothing else", () => {
    expect(sent(RESOLVED_NOTIFICATION).body).toEqual({ routing_key: "R0UT1NGKEY", event_action: "resolve", dedup_key: DEDUP });
    const acknowledged = { ...SAMPLE_NOTIFICATION, type: "alert.acknowledged" } as Notification;
    expect(sent(acknowledged).body).toEqual({ routing_key: "R0UT1NGKEY", event_action: "acknowledge", dedup_key: DEDUP });
  });

  it("maps each Vigil severity onto PagerDuty's", () => {
    for (const severity of ["critical", "warning", "info"] as const) {
      const n = { ...SAMPLE_NOTIFICATION, alert: { ...SAMPLE_NOTIFICATION.alert!, severity } };
      expect((sent(n).body.payload as Record<string, unknown>).severity).toBe(severity);
    }
  });

  it("sends a channel test as an info trigger of its own, never keyed like an alert", () => {
    const test: Notification = { ...SAMPLE_NOTIFICATION, id: "test-1", type: "test", alert: null, links: { alert: null, dashboard: "https://vigil.example.com/" } };
    const { body } = sent(test);
    expect(body).toEqual({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: "vigil-test-test-1",
      payload: {
        summary: "Vigil test notification (test-1)",
        source: "vigil",
        severity: "info",
        timestamp: "2026-11-26T09:00:00.000Z",
        component: "vigil",
        group: "vigil",
        class: "test",
        custom_details: { message: "test notification from Vigil" },
      },
      client: "Vigil",
      client_url: "https://vigil.example.com/",
      links: [{ href: "https://vigil.example.com/", text: "Open in Vigil" }],
    });
  });

  it("posts to a configured url (a proxy) instead of the Events API", () => {
    expect(sent(SAMPLE_NOTIFICATION, { routing_key: "R", url: "https://pd-proxy.example.com/enqueue" }).url).toBe("https://pd-proxy.example.com/enqueue");
  });
});
