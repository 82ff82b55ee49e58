import { describe, expect, it } from "vitest";
import { generateSecret, signatureHeader, verifySignature } from "./signature.ts";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = '{"id":"evt_1","type":"alert.opened"}';

  it("matches HMAC-SHA256 computed independently (openssl dgst -hmac) for v1 and v2", async () => {
    // echo -n '1795683600.{"id":"evt_1","type":"alert.opened"}' | openssl dgst -sha256 -hmac whsec_test
    // echo -n '1795683600.d-1.{"id":"evt_1","type":"alert.opened"}' | openssl dgst -sha256 -hmac whsec_test
    const header = await signatureHeader(secret, body, 1795683600, "d-1");
    expect(header).toBe(
      "t=1795683600,v1=81a3166fc70d599e41cdfd84e5dcd0bf6d33dd032d432cd46bac408016d1199a,v2=66af818396f109eba42a9cc1df17a88038e49b0b1e51495f35b89bcb0f8a61ca",
    );
  });

  it("verifies its own signature and rejects tampering, wrong secrets and stale timestamps", async () => {
    const header = await signatureHeader(secret, body, 1000, "d-1");
    expect(await verifySignature(secret, body, header, 1010)).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body, header, 1010, { idempotencyKey: "d-1" })).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body.replace("opened", "closed"), header, 1010)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature("whsec_other", body, header, 1010)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, header, 1000 + 301)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    expect(await verifySignature(secret, body, "v1=abc", 1000)).toEqual({ ok: false, reason: "malformed signature header" });
    expect(await verifySignature(secret, body, null, 1000)).toEqual({ ok: false, reason: "missing signature header" });
  });

  it("v2 binds the Idempotency-Key: a captured delivery replayed under a fresh key fails", async () => {
    const header = await signatureHeader(secret, body, 1000, "d-1");
    expect(await verifySignature(secret, body, header, 1000, { idempotencyKey: "d-2" })).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, header, 1000, { idempotencyKey: "" })).toEqual({ ok: false, reason: "signature mismatch" });
    // The v1 value is not accepted in the v2 slot, nor the other way round.
    const v1 = header.split(",")[1]!.slice(3);
    expect(await verifySignature(secret, body, `t=1000,v2=${v1}`, 1000, { idempotencyKey: "d-1" })).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects a timestamp from the future as well as the past, and candidates of the wrong length", async () => {
    const future = await signatureHeader(secret, body, 1000 + 301, "d-1");
    expect(await verifySignature(secret, body, future, 1000)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    expect(await verifySignature(secret, body, future, 1000, { idempotencyKey: "d-1" })).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    const good = (await signatureHeader(secret, body, 1000, "d-1")).split(",")[1]!.slice(3);
    for (const bad of [good.slice(0, 63), `${good}0`, good.slice(0, 32), ""]) {
      expect(await verifySignature(secret, body, `t=1000,v1=${bad}`, 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    }
  });

  it("accepts any of several v1 signatures (secret rotation)", async () => {
    const good = (await signatureHeader(secret, body, 1000, "d-1")).split(",")[1]!;
    expect((await verifySignature(secret, body, `t=1000,v1=${"0".repeat(64)},${good}`, 1000)).ok).toBe(true);
  });

  it("generates distinct secrets in the Standard Webhooks form: whsec_ + standard base64 of 32 bytes", () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(a.slice(6))).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});
