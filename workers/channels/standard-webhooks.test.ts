import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret } from "./signature.ts";
import { standardWebhookHeaders, standardWebhookKey, standardWebhookSignature } from "./standard-webhooks.ts";

describe("Standard Webhooks signing", () => {
  it("matches the specification's published example", async () => {
    // standard-webhooks spec / svix docs: secret, msg id, timestamp and body → signature.
    const sig = await standardWebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(sig).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("derives the key from whsec_ + base64 as the library does, and from any other secret as its UTF-8 bytes", () => {
    const secret = generateSecret();
    expect(standardWebhookKey(secret)).toEqual(Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0)));
    // A secret generated before (base64url, no padding) or chosen by a caller: its whole string.
    for (const legacy of ["whsec_Ab-_cdEFghIJklMNopQRstUVwxYZ0123456789abcde", "my-own-secret-of-16+chars", "whsec_abc"]) {
      expect(standardWebhookKey(legacy)).toEqual(new TextEncoder().encode(legacy));
    }
  });

  it("headers verify with the standardwebhooks package, for generated and legacy secrets", async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = '{"id":"n-1","type":"test"}';
    const generated = generateSecret();
    expect(new Webhook(generated).verify(body, await standardWebhookHeaders(generated, "d-1", now, body))).toEqual(JSON.parse(body));
    const legacy = "whsec_Ab-_cdEFghIJklMNopQRstUVwxYZ0123456789abcde";
    const raw = new Webhook(new TextEncoder().encode(legacy), { format: "raw" });
    expect(raw.verify(body, await standardWebhookHeaders(legacy, "d-1", now, body))).toEqual(JSON.parse(body));
  });

  it("sends id and timestamp without a signature when the channel has no secret", async () => {
    expect(await standardWebhookHeaders(null, "d-1", 1000, "{}")).toEqual({ "webhook-id": "d-1", "webhook-timestamp": "1000" });
  });
});
