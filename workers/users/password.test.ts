import { scrypt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DUMMY_HASH, SCRYPT_PARAMS, hashPassword, verifyPassword } from "./password.ts";

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A stored hash made outside password.ts, with the given parameters (cheap ones keep the test fast). */
function storedHash(password: string, N: number, r: number, p: number, keyBytes = 32, algorithm = "scrypt"): Promise<string> {
  const salt = new Uint8Array(16).fill(7);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyBytes, { N, r, p, maxmem: 256 * N * r * p + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(`${algorithm}$${N}$${r}$${p}$${b64(salt)}$${b64(key)}`),
    ),
  );
}

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

  it.each([
    ["N at its floor", 2, 1, 1],
    ["N at its ceiling", 2 ** 17, 2, 1], // r = 1 would cap N below 2^16 (scrypt: N < 2^(16 r))
    ["r at its ceiling", 2, 32, 1],
    ["p at its ceiling", 2, 1, 16],
  ])("verifies a stored hash with %s", async (_, N, r, p) => {
    const stored = await storedHash("pw", N, r, p);
    expect(await verifyPassword("pw", stored)).toBe(true);
    expect(await verifyPassword("pW", stored)).toBe(false);
  });

  it.each([
    ["N below 2", "scrypt$1$1$1"],
    ["N over 2^17", `scrypt$${2 ** 18}$1$1`],
  ])("refuses a stored hash with %s, whatever its key", async (_, params) => {
    const [, key] = (await storedHash("pw", 2, 1, 1)).split("$").slice(4);
    expect(await verifyPassword("pw", `${params}$${b64(new Uint8Array(16).fill(7))}$${key}`)).toBe(false);
  });

  // Parameters scrypt itself would accept (r and p of 0 mean its defaults there): refused
  // even with the very key they derive, so no stored hash can ask for more work.
  it.each([
    ["r of 0", 2, 0, 1],
    ["r over 32", 2, 33, 1],
    ["p of 0", 2, 1, 0],
    ["p over 16", 2, 1, 17],
  ])("refuses a stored hash with %s, even with the key those parameters derive", async (_, N, r, p) => {
    expect(await verifyPassword("pw", await storedHash("pw", N, r, p))).toBe(false);
  });

  it("refuses a right key stored under another algorithm name or with an extra field", async () => {
    const stored = await storedHash("pw", 2, 1, 1);
    expect(await verifyPassword("pw", stored.replace(/^scrypt/, "bcrypt"))).toBe(false);
    expect(await verifyPassword("pw", `${stored}$extra`)).toBe(false);
  });

  it("keeps the dummy hash well formed at the configured cost, so an unknown email costs a full verification", () => {
    const { N, r, p } = SCRYPT_PARAMS;
    expect(DUMMY_HASH).toMatch(new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=$`));
  });
});
