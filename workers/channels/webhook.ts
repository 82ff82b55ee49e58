// The generic webhook: the notification as JSON with the delivery id as Idempotency-Key
// and webhook-id (the same on every retry, so receivers drop a retry they already
// processed), signed twice: Vigil-Signature (signature.ts) for existing receivers and
// Standard Webhooks (standard-webhooks.ts) for the libraries. Both signatures cover
// the delivery id, so a captured request cannot be replayed under a fresh one.
import type { ChannelTarget, Notification, OutboundRequest } from "./notification.ts";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";
import { standardWebhookHeaders } from "./standard-webhooks.ts";

export async function signedJsonRequest(url: string, secret: string | null, body: string, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Vigil-Webhooks/1",
    "idempotency-key": deliveryId,
    ...(await standardWebhookHeaders(secret, deliveryId, nowSeconds, body)),
  };
  if (secret) headers[SIGNATURE_HEADER.toLowerCase()] = await signatureHeader(secret, body, nowSeconds, deliveryId);
  return { url, headers, body };
}

export function webhookRequest(channel: ChannelTarget, n: Notification, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  return signedJsonRequest(String(channel.config.url), channel.secret, JSON.stringify(n), deliveryId, nowSeconds);
}
