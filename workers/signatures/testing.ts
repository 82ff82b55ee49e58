// Test fixtures for electronic signatures: an org with an admin key, a write key and
// signers (users with a password and a full name), and calls through the real app.
import { eq } from "drizzle-orm";
import { buildProfile } from "../../stats/profile/build.ts";
import { createApp } from "../app.ts";
import { users } from "../db/schema/index.ts";
import { hashPassword } from "../users/password.ts";
import { seedUser, type TestUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, uniqueSlug, withDb } from "../testing/seed.ts";

const app = createApp();
export const PASSWORD = "signing password 2026";

export interface Caller {
  headers: (write?: boolean) => Record<string, string>;
}

export interface Signer extends Caller, TestUser {
  name: string;
}

export interface SigningOrg {
  orgId: string;
  admin: Caller;
  writer: Caller;
  signers: Signer[];
  /** An editor who signs in by link only: no password. */
  noPassword: Caller;
}

const keyCaller = (key: string): Caller => ({ headers: () => ({ authorization: `Bearer ${key}` }) });

export async function seedSigningOrg(signerCount = 3): Promise<SigningOrg> {
  const hash = await hashPassword(PASSWORD);
  return withDb(async (db) => {
    const { orgId } = await seedOrg(db);
    const signers: Signer[] = [];
    for (let i = 0; i < signerCount; i++) {
      const user = await seedUser(db, orgId, "editor", { passwordHash: hash });
      const name = `Signer ${String.fromCharCode(65 + i)} ${uniqueSlug("q").slice(-4)}`;
      await db.update(users).set({ name }).where(eq(users.id, user.userId));
      signers.push({ ...user, name });
    }
    return {
      orgId,
      admin: keyCaller((await seedKey(db, orgId, ["admin"])).key),
      writer: keyCaller((await seedKey(db, orgId, ["read", "write", "ingest"])).key),
      signers,
      noPassword: await seedUser(db, orgId, "editor"),
    };
  });
}

export async function call(who: Caller, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: any }> {
  const write = method !== "GET";
  const res = await app.request(
    new Request(`http://127.0.0.1:8787${path}`, {
      method,
      headers: { ...who.headers(write), ...(body === undefined ? {} : { "content-type": contentType }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
    undefined,
    testEnv,
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const signature = (meaning: "approved" | "reviewed" | "responsible" = "approved", password = PASSWORD) => ({ password, meaning });

/** Registers `model` with version `version` (development), a two-feature schema. */
export async function registerVersion(org: SigningOrg, model: string, version = "v1"): Promise<string> {
  await call(org.writer, "POST", "/v1/models", { name: model, prediction_kind: "binary" });
  const res = await call(org.writer, "POST", `/v1/models/${model}/versions`, {
    version,
    feature_schema: [{ name: "age", kind: "numerical", dtype: "float" }, { name: "country", kind: "categorical", dtype: "string" }],
  });
  if (res.status !== 201) throw new Error(`version not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export function profile(seed = 1) {
  const rows = Array.from({ length: 50 }, (_, i) => ({ age: 20 + ((i * 7 + seed) % 40), country: ["de", "fr", "it"][i % 3]! }));
  return buildProfile(rows, { features: [{ name: "age" }, { name: "country", kind: "categorical" }] });
}

export async function setPolicy(org: SigningOrg, policy: Partial<Record<"production_promotion" | "baseline_change" | "threshold_change", { required: boolean; approvals: number }>>) {
  const off = { required: false, approvals: 1 };
  const res = await call(org.admin, "PUT", "/v1/policies/signatures", { production_promotion: off, baseline_change: off, threshold_change: off, ...policy });
  if (res.status !== 200) throw new Error(`policy not set: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
