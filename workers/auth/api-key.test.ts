import { describe, expect, it, vi } from "vitest";
import { apiKeyPrefix, generateApiKey, hashApiKey, requestKeyHash } from "./api-key.ts";

describe("requestKeyHash", () => {
  it("gives each key its own SHA-256, also once the remembered set has started over", async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `vgl_0000000${i % 10}_key-${i}`);
    for (const key of keys) expect(await requestKeyHash(key)).toBe(await hashApiKey(key));
    // Asked again (the first keys were forgotten when the set started over, the last were not).
    expect(await requestKeyHash(keys[0]!)).toBe(await hashApiKey(keys[0]!));
    expect(await requestKeyHash(keys[1_004]!)).toBe(await hashApiKey(keys[1_004]!));
    expect(await requestKeyHash("vgl_00000000_other")).not.toBe(await requestKeyHash(keys[0]!));
  });

  it("hashes a key once, then answers from memory until 1,000 keys are remembered and it starts over", async () => {
    // A fresh copy of the module: its memory is empty whatever ran before.
    vi.resetModules();
    const fresh = await import("./api-key.ts");
    const digest = vi.spyOn(crypto.subtle, "digest");
    try {
      const keys = Array.from({ length: 1_001 }, (_, i) => `vgl_fresh000_${i}`);
      await fresh.requestKeyHash(keys[0]!);
      await fresh.requestKeyHash(keys[1]!);
      expect(await fresh.requestKeyHash(keys[0]!)).toBe(await hashApiKey(keys[0]!));
      expect(digest).toHaveBeenCalledTimes(3); // keys 0 and 1, and the reference hash: key 0 was remembered
      for (const key of keys.slice(2, 1_000)) await fresh.requestKeyHash(key);
      digest.mockClear();
      // 1,000 keys remembered, the first among them.
      await fresh.requestKeyHash(keys[0]!);
      expect(digest).not.toHaveBeenCalled();
      // The 1,001st starts the memory over: key 0 is hashed again, the new key is remembered.
      await fresh.requestKeyHash(keys[1_000]!);
      await fresh.requestKeyHash(keys[0]!);
      await fresh.requestKeyHash(keys[1_000]!);
      expect(digest).toHaveBeenCalledTimes(2);
    } finally {
      digest.mockRestore();
    }
  });

  it("is the hex SHA-256 of the whole key", async () => {
    // python3 -c "import hashlib; print(hashlib.sha256(b'vgl_12345678_abc').hexdigest())"
    const expected = "615c4840caa525bd7619ec63ec87c65f9b7f04d32c132bf499ac6c6b817d472b";
    expect(await requestKeyHash("vgl_12345678_abc")).toBe(expected);
    expect(await requestKeyHash("vgl_12345678_abc")).toBe(expected); // remembered
  });
});

describe("generateApiKey", () => {
  it("makes vgl_<8 hex>_<43 base64url> keys, each new, with their prefix and SHA-256", async () => {
    const a = await generateApiKey();
    const b = await generateApiKey();
    expect(a.key).toMatch(/^vgl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toBe(await hashApiKey(a.key));
    expect(b.key).not.toBe(a.key);
    // Half of all keys hold a "+" or "/" before base64url replaces them: enough keys that some do.
    const more = await Promise.all(Array.from({ length: 32 }, () => generateApiKey()));
    for (const { key } of more) expect(key).toMatch(/^vgl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  });
});

describe("apiKeyPrefix", () => {
  const body = "A".repeat(42) + "_";
  it("reads the prefix of a well-formed key only", () => {
    expect(apiKeyPrefix(`vgl_0123abcd_${body}`)).toBe("vgl_0123abcd");
    expect(apiKeyPrefix(`vgl_0123abc_${body}A`)).toBeUndefined(); // 7 hex digits
    expect(apiKeyPrefix(`vgl_0123abcg_${body}`)).toBeUndefined(); // not hex
    expect(apiKeyPrefix(`vgl_0123abcd_${body.slice(1)}`)).toBeUndefined(); // 42 characters
    expect(apiKeyPrefix(`vgl_0123abcd_${body}A`)).toBeUndefined(); // 44 characters
    expect(apiKeyPrefix(`vgl_0123abcd_${"A".repeat(42)}+`)).toBeUndefined(); // not base64url
    expect(apiKeyPrefix(`xvgl_0123abcd_${body}`)).toBeUndefined();
  });
});
