// The retraining trigger's two request formats, field by field.
//
// GitHub `repository_dispatch`, as GitHub documents it ("Create a repository dispatch event",
// https://docs.github.com/en/rest/repos/repos#create-a-repository-dispatch-event):
//   POST {api}/repos/{owner}/{repo}/dispatches
//   Accept: application/vnd.github+json
//   Authorization: Bearer <token>
//   X-GitHub-Api-Version: 2022-11-28
//   { "event_type": "<1 to 100 characters>", "client_payload": { ... } }
// GitHub Enterprise Server serves the same path under https://<host>/api/v3. client_payload holds
// at most 10 top-level properties (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#repository_dispatch),
// and every REST request needs a User-Agent
// (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent).
// The expected requests below are written out from those pages and SAMPLE_NOTIFICATION, not
// taken from the code's output.
import { describe, expect, it } from "vitest";
import type { Notification } from "./notification.ts";
import { retrainEvidence, retrainRequest } from "./retrain.ts";
import { verifySignature } from "./signature.ts";
import { standardWebhookSignature } from "./standard-webhooks.ts";
import { SAMPLE_NOTIFICATION, target } from "./testing.ts";

const NOW = 1_795_683_600;
const DELIVERY = "d-7";
const REQUESTED: Notification = { ...SAMPLE_NOTIFICATION, type: "retrain.requested", actor: "ana@example.com", note: "November data is in" };
/** A channel test: no alert behind it. */
const TEST: Notification = { ...SAMPLE_NOTIFICATION, id: "test@1795683600000", type: "test", alert: null, links: { alert: null, dashboard: "https://vigil.example.com" } };

/** SAMPLE_NOTIFICATION's alert as the evidence a training pipeline reads. */
const EVIDENCE = {
  model: "credit-risk",
  version: "v3",
  baseline: "v3-training",
  rule: { id: "0f6c9a52-1c3b-4e2f-8d7a-6b5c4d3e2f1a", name: "Feature drift", kind: "feature_drift" },
  alert_id: "5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f",
  alert_url: "https://vigil.example.com/alerts/5b0c8a9e-0d7e-4a53-9a4e-7f3f0c1d2e3f",
  window: { name: "5m", from: "2026-11-26T08:55:00.000Z", to: "2026-11-26T09:00:00.000Z" },
  scores: [
    { feature: "income", method: "wasserstein_normed", score: 0.412, threshold: 0.1 },
    { feature: "age", method: "wasserstein_normed", score: 0.18, threshold: 0.1 },
  ],
  summary: "2 feature(s) drifted; worst income wasserstein_normed 0.412 (threshold 0.100)",
  opened_at: "2026-11-26T09:00:00.000Z",
};

const GITHUB_HEADERS = {
  accept: "application/vnd.github+json",
  authorization: "Bearer ghp_0123456789abcdef",
  "x-github-api-version": "2022-11-28",
  "content-type": "application/json",
  "user-agent": "Vigil-Webhooks/1",
};

const github = (config: Record<string, unknown>) => target("retrain", { format: "github", repo: "acme/models", token: "ghp_0123456789abcdef", ...config });

describe("retrainEvidence", () => {
  it("is the alert's model, version, baseline, rule, scores, window, link and summary", () => {
    expect(retrainEvidence(REQUESTED)).toStrictEqual(EVIDENCE);
    // GitHub refuses a client_payload with more than 10 top-level properties.
    expect(Object.keys(EVIDENCE).length).toBeLessThanOrEqual(10);
  });

  it("is null without an alert", () => {
    expect(retrainEvidence(TEST)).toBeNull();
  });
});

describe("retrainRequest: GitHub repository_dispatch", () => {
  it("posts event_type and the evidence as client_payload to the repository's dispatches, with GitHub's headers", async () => {
    const req = await retrainRequest(github({ event_type: "retrain-credit-risk" }), REQUESTED, DELIVERY, NOW);
    expect(req.url).toBe("https://api.github.com/repos/acme/models/dispatches");
    expect(req.headers).toStrictEqual(GITHUB_HEADERS);
    expect(JSON.parse(req.body)).toStrictEqual({ event_type: "retrain-credit-risk", client_payload: EVIDENCE });
  });

  it("uses vigil-retrain as the event type when none is configured", async () => {
    const req = await retrainRequest(github({}), REQUESTED, DELIVERY, NOW);
    expect(JSON.parse(req.body).event_type).toBe("vigil-retrain");
  });

  it("sends a channel test as a small payload a workflow can tell apart", async () => {
    const req = await retrainRequest(github({}), TEST, DELIVERY, NOW);
    expect(JSON.parse(req.body)).toStrictEqual({ event_type: "vigil-retrain", client_payload: { test: true, notification: "test@1795683600000" } });
  });

  it("posts to a GitHub Enterprise Server API root, with or without its trailing slash", async () => {
    for (const api_url of ["https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"]) {
      const req = await retrainRequest(github({ api_url }), REQUESTED, DELIVERY, NOW);
      expect(req.url).toBe("https://ghe.example.com/api/v3/repos/acme/models/dispatches");
      expect(req.headers).toStrictEqual(GITHUB_HEADERS);
    }
    // Anything but text falls back to github.com.
    expect((await retrainRequest(github({ api_url: null }), REQUESTED, DELIVERY, NOW)).url).toBe("https://api.github.com/repos/acme/models/dispatches");
  });

  it("carries no Vigil signature: GitHub authenticates the token", async () => {
    const req = await retrainRequest({ ...github({}), secret: "whsec_unused" }, REQUESTED, DELIVERY, NOW);
    expect(Object.keys(req.headers).sort()).toEqual(["accept", "authorization", "content-type", "user-agent", "x-github-api-version"]);
  });
});

describe("retrainRequest: generic webhook", () => {
  it("posts the notification's type, id, time, evidence, actor and note, signed like every webhook", async () => {
    const req = await retrainRequest(target("retrain", { url: "https://ml.example.com/retrain" }, "whsec_r"), REQUESTED, DELIVERY, NOW);
    expect(req.url).toBe("https://ml.example.com/retrain");
    expect(JSON.parse(req.body)).toStrictEqual({
      type: "retrain.requested",
      id: SAMPLE_NOTIFICATION.id,
      created_at: "2026-11-26T09:00:00.000Z",
      evidence: EVIDENCE,
      actor: "ana@example.com",
      note: "November data is in",
    });
    expect(req.headers).toMatchObject({
      "content-type": "application/json",
      "idempotency-key": DELIVERY,
      "webhook-id": DELIVERY,
      "webhook-timestamp": String(NOW),
      "webhook-signature": await standardWebhookSignature("whsec_r", DELIVERY, NOW, req.body),
    });
    expect(await verifySignature("whsec_r", req.body, req.headers["vigil-signature"]!, NOW, { idempotencyKey: DELIVERY })).toEqual({ ok: true, timestamp: NOW });
  });

  it("sends a channel test with null evidence", async () => {
    const req = await retrainRequest(target("retrain", { url: "https://ml.example.com/retrain" }), TEST, DELIVERY, NOW);
    expect(JSON.parse(req.body)).toStrictEqual({ type: "test", id: "test@1795683600000", created_at: "2026-11-26T09:00:00.000Z", evidence: null, actor: "Vigil", note: null });
  });
});
