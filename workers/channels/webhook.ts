// The generic webhook: the notification as JSON, signed (see signature.ts), with the
// delivery id as Idempotency-Key so receivers can drop a retry they already processed.
import type { ChannelTarget, Notification, OutboundRequest } from "./notification.ts";
import { SIGNATURE_HEADER, signatureHeader } from "./signature.ts";

export async function signedJsonRequest(url: string, secret: string | null, body: string, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Vigil-Webhooks/1",
    "idempotency-key": deliveryId,
  };
  if (secret) headers[SIGNATURE_HEADER.toLowerCase()] = await signatureHeader(secret, body, nowSeconds);
  return { url, headers, body };
}

export function webhookRequest(channel: ChannelTarget, n: Notification, deliveryId: string, nowSeconds: number): Promise<OutboundRequest> {
  return signedJsonRequest(String(channel.config.url), channel.secret, JSON.stringify(n), deliveryId, nowSeconds);
}
