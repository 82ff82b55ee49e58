import { describe, expect, it } from "vitest";
import { hashApiKey, requestKeyHash } from "./api-key.ts";

describe("requestKeyHash", () => {
  it("gives each key its own SHA-256, also once the remembered set has started over", async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `vgl_0000000${i % 10}_key-${i}`);
    for (const key of keys) expect(await requestKeyHash(key)).toBe(await hashApiKey(key));
    // Asked again (the first keys were forgotten when the set started over, the last were not).
    expect(await requestKeyHash(keys[0]!)).toBe(await hashApiKey(keys[0]!));
    expect(await requestKeyHash(keys[1_004]!)).toBe(await hashApiKey(keys[1_004]!));
    expect(await requestKeyHash("vgl_00000000_other")).not.toBe(await requestKeyHash(keys[0]!));
  });

  it("is the hex SHA-256 of the whole key", async () => {
    // python3 -c "import hashlib; print(hashlib.sha256(b'vgl_12345678_abc').hexdigest())"
    const expected = "615c4840caa525bd7619ec63ec87c65f9b7f04d32c132bf499ac6c6b817d472b";
    expect(await requestKeyHash("vgl_12345678_abc")).toBe(expected);
    expect(await requestKeyHash("vgl_12345678_abc")).toBe(expected); // remembered
  });
});
