import { describe, expect, it } from "vitest";
import { generateSecret, SIGNATURE_HEADER, signatureHeader, verifySignature } from "./signature.ts";

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

  it("tolerance edges: exactly 300 s either side passes, 301 s either side fails (v1 and v2)", async () => {
    const now = 10_000;
    for (const [t, ok] of [[now - 300, true], [now + 300, true], [now - 301, false], [now + 301, false], [now, true]] as const) {
      const header = await signatureHeader(secret, body, t, "d-1");
      const want = ok ? { ok: true, timestamp: t } : { ok: false, reason: "timestamp outside tolerance" };
      expect(await verifySignature(secret, body, header, now), `t = now ${t - now >= 0 ? "+" : ""}${t - now} s, v1`).toEqual(want);
      expect(await verifySignature(secret, body, header, now, { idempotencyKey: "d-1" }), `t = now ${t - now} s, v2`).toEqual(want);
    }
    // A caller's own tolerance moves the edge the same way in both directions.
    const header = await signatureHeader(secret, body, now + 61, "d-1");
    expect(await verifySignature(secret, body, header, now, { toleranceSeconds: 60 })).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    expect(await verifySignature(secret, body, header, now, { toleranceSeconds: 61 })).toEqual({ ok: true, timestamp: now + 61 });
    // Far in the future is refused even with a good signature.
    const far = await signatureHeader(secret, body, now + 86_400, "d-1");
    expect(await verifySignature(secret, body, far, now)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
  });

  it("an empty or short v1 never verifies: `t=1000,v1=`, a 1-character and a 63-character prefix", async () => {
    const good = (await signatureHeader(secret, body, 1000, "d-1")).split(",")[1]!.slice(3);
    expect(await verifySignature(secret, body, "t=1000,v1=", 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, "t=1000,v1", 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, `t=1000,v1=${good[0]}`, 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, `t=1000,v1=${good.slice(0, 63)}`, 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, "t=1000,v2=", 1000, { idempotencyKey: "d-1" })).toEqual({ ok: false, reason: "signature mismatch" });
    // The same value upper-cased is a different string: hex is compared exactly.
    expect(await verifySignature(secret, body, `t=1000,v1=${good.toUpperCase()}`, 1000)).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("duplicate entries: repeated v1 values all count as candidates, the first t is the one signed and checked", async () => {
    const good = (await signatureHeader(secret, body, 1000, "d-1")).split(",")[1]!.slice(3);
    expect(await verifySignature(secret, body, `t=1000,v1=${good},v1=${good}`, 1000)).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body, `t=1000,v1=,v1=${"f".repeat(64)}`, 1000)).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySignature(secret, body, `t=1000,v1=${good},t=5000`, 1000)).toEqual({ ok: true, timestamp: 1000 });
    // A second t cannot move a stale header back into the window, nor a fresh one out of it.
    expect(await verifySignature(secret, body, `t=1000,t=5000,v1=${good}`, 5000)).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    // Only v1 entries are candidates without an Idempotency-Key: a good value under another name does not count.
    expect(await verifySignature(secret, body, `t=1000,v0=${good}`, 1000)).toEqual({ ok: false, reason: "malformed signature header" });
  });

  it("reads the header's items in any order and with spaces after the commas", async () => {
    const [t, v1, v2] = (await signatureHeader(secret, body, 1000, "d-1")).split(",");
    expect(await verifySignature(secret, body, `${v1},${t}`, 1000)).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body, `${v2},${v1},${t}`, 1000, { idempotencyKey: "d-1" })).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body, `${t}, ${v1}, ${v2}`, 1000)).toEqual({ ok: true, timestamp: 1000 });
    expect(await verifySignature(secret, body, ` ${t} ,  ${v2}`, 1000, { idempotencyKey: "d-1" })).toEqual({ ok: true, timestamp: 1000 });
  });

  it("is sent as the Vigil-Signature header receivers are told to read (docs/webhooks.md)", () => {
    expect(SIGNATURE_HEADER).toBe("Vigil-Signature");
  });

  it("a timestamp that is not a whole number of seconds is malformed", async () => {
    const good = (await signatureHeader(secret, body, 1000, "d-1")).split(",")[1]!.slice(3);
    for (const t of ["abc", "1000.5", "NaN", "Infinity"]) {
      expect(await verifySignature(secret, body, `t=${t},v1=${good}`, 1000), t).toEqual({ ok: false, reason: "malformed signature header" });
    }
    expect(await verifySignature(secret, body, `v1=${good}`, 1000)).toEqual({ ok: false, reason: "malformed signature header" });
    expect(await verifySignature(secret, body, "", 1000)).toEqual({ ok: false, reason: "missing signature header" });
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
