import { describe, expect, it } from "vitest";
import { DUMMY_HASH, SCRYPT_PARAMS, hashPassword, verifyPassword } from "./password.ts";

describe("password hashing (scrypt in workerd)", () => {
  it("verifies the right password only, with per-hash salt and stored parameters", async () => {
    const t0 = performance.now();
    const a = await hashPassword("correct horse battery staple");
    const ms = performance.now() - t0;
    console.log(`scrypt N=${SCRYPT_PARAMS.N} r=${SCRYPT_PARAMS.r} p=${SCRYPT_PARAMS.p}: ${ms.toFixed(0)} ms per hash`);
    const b = await hashPassword("correct horse battery staple");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("Correct horse battery staple", a)).toBe(false);
  });

  it.each([
    ["garbage", "nope"],
    ["wrong algorithm", "bcrypt$1$2$3$4$5"],
    ["excessive N", `scrypt$${2 ** 24}$8$1$AAAA$${"A".repeat(43)}=`],
    ["dummy", DUMMY_HASH],
  ])("rejects a %s hash without throwing", async (_, stored) => {
    expect(await verifyPassword("x", stored)).toBe(false);
  });
});
