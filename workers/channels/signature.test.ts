import { describe, expect, it } from "vitest";
import { generateSecret, signatureHeader, verifySignature } from "./signature.ts";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = '{"id":"evt_1","type":"alert.opened"}';

  it("matches an HMAC-SHA256 computed independently (openssl dgst -hmac)", async () => {
    // echo -n '1795683600.{"id":"evt_1","type":"alert.opened"}' | openssl dgst -sha256 -hmac whsec_test
    const header = await signatureHeader(secret, body, 1795683600);
    expect(header).toBe("t=1795683600,v1=81a3166fc70d599e41cdfd84e5dcd0bf6d33dd032d432cd46bac408016d1199a");
  });

  it("verifies its own signature and rejects tampering, wrong secrets and stale timestamps", async () => {
    const header = await signatureHeader(secret, body, 1000);
    expect(await verifySignature(secret, body, header, 1010)).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body.replace("opened", "closed"), header, 1010)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature("whsec_other", body, header, 1010)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, header, 1000 + 301)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    expect(await verifySignature(secret, body, "v1=abc", 1000)).toEqual({ ok: false, reason: "malformed signature header" });
    expect(await verifySignature(secret, body, null, 1000)).toEqual({ ok: false, reason: "missing signature header" });
  });

  it("accepts any of several v1 signatures (secret rotation)", async () => {
    const good = (await signatureHeader(secret, body, 1000)).split(",")[1]!;
    expect((await verifySignature(secret, body, `t=1000,v1=${"0".repeat(64)},${good}`, 1000)).ok).toBe(true);
  });

  it("generates distinct, prefixed secrets with 256 bits", () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
  });
});
