// INSTANCE_ADMIN_TOKEN: accepted only when set, at least 32 characters, and equal.
import { describe, expect, it } from "vitest";
import type { Bindings } from "../env.ts";
import { isInstanceAdminToken } from "./instance-admin.ts";

const env = (token: string | undefined) => ({ INSTANCE_ADMIN_TOKEN: token }) as Bindings;
const TOKEN = "t".repeat(31) + "Z";

describe("isInstanceAdminToken", () => {
  it("accepts the configured token, and nothing else", () => {
    expect(isInstanceAdminToken(env(TOKEN), TOKEN)).toBe(true);
    expect(isInstanceAdminToken(env(TOKEN), "t".repeat(32))).toBe(false);
    expect(isInstanceAdminToken(env(TOKEN), TOKEN + "x")).toBe(false);
    expect(isInstanceAdminToken(env(TOKEN), "")).toBe(false);
  });

  it("accepts no token at all while none is configured", () => {
    expect(isInstanceAdminToken(env(undefined), "")).toBe(false);
    expect(isInstanceAdminToken(env(""), "")).toBe(false);
  });

  it("refuses a configured token shorter than 32 characters, even when it is sent", () => {
    const short = "s".repeat(31);
    expect(isInstanceAdminToken(env(short), short)).toBe(false);
  });

  it("compares bytes, not characters", () => {
    const unicode = "é".repeat(32);
    expect(isInstanceAdminToken(env(unicode), unicode)).toBe(true);
    expect(isInstanceAdminToken(env(unicode), "e".repeat(32))).toBe(false);
  });
});
