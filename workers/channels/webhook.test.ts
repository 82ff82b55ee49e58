// The generic webhook request, header by header: signed with a secret, unsigned (but
// still carrying its delivery id) without one, the notification as the body.
import { describe, expect, it } from "vitest";
import { verifySignature } from "./signature.ts";
import { standardWebhookSignature } from "./standard-webhooks.ts";
import { SAMPLE_NOTIFICATION, target } from "./testing.ts";
import { webhookRequest } from "./webhook.ts";

const NOW = 1_795_683_600;
const DELIVERY = "9d3c1e52-6a7b-4c8d-9e0f-112233445566";

describe("webhookRequest", () => {
  it("posts the notification as JSON with the delivery id and both signatures", async () => {
    const request = await webhookRequest(target("webhook", { url: "https://hooks.example.com/vigil" }, "s3cret-value"), SAMPLE_NOTIFICATION, DELIVERY, NOW);
    expect(request.url).toBe("https://hooks.example.com/vigil");
    expect(JSON.parse(request.body)).toEqual(SAMPLE_NOTIFICATION);
    expect(Object.keys(request.headers).sort()).toEqual(["content-type", "idempotency-key", "user-agent", "vigil-signature", "webhook-id", "webhook-signature", "webhook-timestamp"]);
    expect(request.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Vigil-Webhooks/1",
      "idempotency-key": DELIVERY,
      "webhook-id": DELIVERY,
      "webhook-timestamp": String(NOW),
      "webhook-signature": await standardWebhookSignature("s3cret-value", DELIVERY, NOW, request.body),
    });
    expect(await verifySignature("s3cret-value", request.body, request.headers["vigil-signature"]!, NOW, { idempotencyKey: DELIVERY })).toEqual({ ok: true, timestamp: NOW });
  });

  it("sends no signature at all for a channel without a secret", async () => {
    const request = await webhookRequest(target("webhook", { url: "https://hooks.example.com/vigil" }), SAMPLE_NOTIFICATION, DELIVERY, NOW);
    expect(request.headers).toEqual({
      "content-type": "application/json",
      "user-agent": "Vigil-Webhooks/1",
      "idempotency-key": DELIVERY,
      "webhook-id": DELIVERY,
      "webhook-timestamp": String(NOW),
    });
  });
});
