// Electronic signatures (21 CFR Part 11) against the real app, Postgres and the version's
// Durable Object: the policy, the 428 gate, re-authentication, distinct signers with the
// approval kept between them, the record hash, the audit link, listing, and that a
// signature can neither be edited nor moved to another record.
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../audit/hash.ts";
import { approvals, auditLog, baselines, signatures } from "../db/schema/index.ts";
import { sha256Hex } from "../erasure/certificate.ts";
import { uniqueSlug, withDb } from "../testing/seed.ts";
import { MAX_FAILURES } from "../users/sign-in-limit.ts";
import { call, profile, registerVersion, seedSigningOrg, setPolicy, signature, type SigningOrg } from "./testing.ts";

let org: SigningOrg;

/** The database's own message: drizzle wraps it as the cause of "Failed query: …". */
async function refusal(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  return "not refused";
}

beforeAll(async () => {
  org = await seedSigningOrg(3);
});

describe("signature policy", () => {
  it("reads as nothing required until set, and refuses bad bodies naming the field", async () => {
    const initial = await call(org.admin, "GET", "/v1/policies/signatures");
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({
      production_promotion: { required: false, approvals: 1 }, baseline_change: { required: false, approvals: 1 }, threshold_change: { required: false, approvals: 1 },
      updated_at: null, updated_by: null,
    });
    const off = { required: false, approvals: 1 };
    const cases: [unknown, string][] = [
      [{ production_promotion: { required: true, approvals: 0 }, baseline_change: off, threshold_change: off }, "production_promotion.approvals"],
      [{ production_promotion: { required: true, approvals: 11 }, baseline_change: off, threshold_change: off }, "production_promotion.approvals"],
      [{ production_promotion: { required: "yes", approvals: 1 }, baseline_change: off, threshold_change: off }, "production_promotion.required"],
      [{ production_promotion: off, threshold_change: off }, "baseline_change"],
      [{ production_promotion: off, baseline_change: off, threshold_change: { ...off, quorum: 2 } }, "threshold_change"],
      [{ production_promotion: off, baseline_change: off, threshold_change: off, model_deletion: off }, ""],
    ];
    for (const [body, field] of cases) {
      const res = await call(org.admin, "PUT", "/v1/policies/signatures", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body.error), JSON.stringify(body)).toContain(field);
    }
  });

  it("is admin only, and each change is audited with before and after", async () => {
    const body = { production_promotion: { required: true, approvals: 2 }, baseline_change: { required: false, approvals: 1 }, threshold_change: { required: false, approvals: 1 } };
    expect((await call(org.writer, "PUT", "/v1/policies/signatures", body)).status).toBe(403);
    expect((await call(org.signers[0]!, "PUT", "/v1/policies/signatures", body)).status).toBe(403);
    const saved = await setPolicy(org, { production_promotion: { required: true, approvals: 2 } });
    expect(saved).toMatchObject({ ...body, updated_at: expect.any(String), updated_by: expect.stringMatching(/^api_key:/) });
    expect((await call(org.admin, "GET", "/v1/policies/signatures")).body).toEqual(saved);
    const entries = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, "signature_policy.update"))));
    expect(entries.at(-1)!.details).toMatchObject({ before: { production_promotion: { required: false } }, after: body });
  });
});

describe("promotion to production with two required signers", () => {
  const model = uniqueSlug("signed");
  let versionId: string;
  const promote = (who: SigningOrg["admin"], body: Record<string, unknown> = {}) => call(who, "POST", `/v1/models/${model}/versions/v1/promote`, { stage: "production", ...body });

  beforeAll(async () => {
    await setPolicy(org, { production_promotion: { required: true, approvals: 2 } });
    versionId = await registerVersion(org, model);
  });

  it("answers 428 signature_required without a signature, and the version stays where it was", async () => {
    const res = await promote(org.writer);
    expect(res.status).toBe(428);
    expect(res.body.error).toMatchObject({ code: "signature_required", details: { action: "production_promotion", approvals_required: 2, signed: 0 } });
    expect((await call(org.writer, "GET", `/v1/models/${model}/versions/v1`)).body.stage).toBe("development");
    // PATCH cannot go around it.
    const patched = await call(org.writer, "PATCH", `/v1/models/${model}/versions/v1`, { stage: "production" });
    expect(patched.status).toBe(428);
    expect(patched.body.error.message).toContain("/promote");
    // Staging needs no signature.
    expect((await call(org.writer, "POST", `/v1/models/${model}/versions/v1/promote`, { stage: "staging" })).status).toBe(200);
  });

  it("never lets an API key sign (403), and asks a link-only user to set a password (403)", async () => {
    const byKey = await promote(org.writer, { signature: signature() });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.code).toBe("signature_requires_user");
    const noPassword = await promote(org.noPassword, { signature: signature() });
    expect(noPassword.status).toBe(403);
    expect(noPassword.body.error.code).toBe("password_required");
    const badMeaning = await promote(org.signers[0]!, { signature: { password: "x", meaning: "sure" } });
    expect(badMeaning.status).toBe(400);
    expect(JSON.stringify(badMeaning.body.error)).toContain("signature.meaning");
  });

  it("refuses a wrong password with 401, audited, and signs nothing", async () => {
    const res = await promote(org.signers[0]!, { signature: signature("approved", "not my password") });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_password");
    await withDb(async (db) => {
      const [failed] = await db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.action, "signature.failed"), eq(auditLog.targetId, org.signers[0]!.userId)));
      expect(failed).toMatchObject({ actorType: "user", actorId: org.signers[0]!.email, details: { signed_action: "production_promotion", model, version: "v1", reason: "wrong password" } });
      expect(JSON.stringify(failed!.details)).not.toContain("not my password");
      expect(await db.select().from(signatures).where(eq(signatures.targetId, versionId))).toEqual([]);
    });
  });

  it("keeps the first signature pending, refuses the same signer twice, and promotes on the second distinct signer", async () => {
    const [a, b] = org.signers as [SigningOrg["signers"][0], SigningOrg["signers"][0]];
    const first = await promote(a, { signature: signature("reviewed") });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: "pending_approval", approval: { action: "production_promotion", target_type: "model_version", target_id: versionId, approvals_required: 2, status: "pending" } });
    expect(first.body.approval.signatures).toHaveLength(1);
    expect((await call(org.writer, "GET", `/v1/models/${model}/versions/v1`)).body.stage).toBe("staging");
    // Still 428 without a signature, now counting the one given.
    expect((await promote(org.writer)).body.error.details).toMatchObject({ signed: 1, approval_id: first.body.approval.id });

    const again = await promote(a, { signature: signature("approved") });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_signed");

    const second = await promote(b, { signature: signature("approved") });
    expect(second.status).toBe(200);
    expect(second.body.version.stage).toBe("production");
    expect(second.body.signatures.map((s: any) => [s.signer.email, s.meaning])).toEqual([[a.email, "reviewed"], [b.email, "approved"]]);
    expect(second.body.signatures[0].signer.name).toBe(a.name);
    const record = first.body.approval.record;
    expect(record).toEqual({ action: "production_promotion", org_id: org.orgId, model, version: "v1", version_id: versionId, stage: "production", baseline_id: null, thresholds: {} });
    const sha = await sha256Hex(canonicalJson(record));
    for (const s of second.body.signatures) {
      expect(s.record_sha256).toBe(sha);
      expect(s.signed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("links each signature to its audit entry, and lists them by target", async () => {
    const listed = await call(org.writer, "GET", `/v1/signatures?target_type=model_version&target_id=${versionId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    await withDb(async (db) => {
      for (const s of listed.body.items) {
        const [entry] = await db.select().from(auditLog).where(eq(auditLog.id, s.audit_id));
        expect(entry).toMatchObject({ action: "signature.sign", hash: s.audit_hash, targetId: versionId, details: { signature_id: s.id, record_sha256: s.record_sha256, meaning: s.meaning } });
      }
      const [approval] = await db.select().from(approvals).where(eq(approvals.id, listed.body.items[0].approval_id));
      expect(approval!.status).toBe("applied");
    });
    const half = await call(org.writer, "GET", `/v1/signatures?target_id=${versionId}`);
    expect(half.status).toBe(400);
    expect(half.body.error.details[0].field).toBe("target_type");
    expect((await call(org.writer, "GET", `/v1/signatures?target_type=model_version&target_id=${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("refuses to change or delete a signature, or to bind it to another record", async () => {
    await withDb(async (db) => {
      const [s] = await db.select().from(signatures).where(eq(signatures.targetId, versionId)).limit(1);
      expect(await refusal(db.update(signatures).set({ meaning: "responsible" }).where(eq(signatures.id, s!.id)))).toMatch(/signatures are immutable \(UPDATE refused\)/);
      expect(await refusal(db.delete(signatures).where(eq(signatures.id, s!.id)))).toMatch(/signatures are immutable \(DELETE refused\)/);
      expect(await refusal(db.execute(sql`truncate signatures`))).toMatch(/signatures are immutable \(TRUNCATE refused\)/);
      expect(await refusal(db.execute(sql`update approvals set record_sha256 = ${"0".repeat(64)} where id = ${s!.approvalId}`))).toMatch(/signed record cannot change/);
      // The same signature on another record: its approval does not hold that hash.
      expect(await refusal(db.insert(signatures).values({ ...s!, id: crypto.randomUUID(), userId: crypto.randomUUID(), recordSha256: "f".repeat(64) }))).toMatch(/signatures_approval_record_fk/);
      const [unchanged] = await db.select().from(signatures).where(eq(signatures.id, s!.id));
      expect(unchanged!.meaning).toBe(s!.meaning);
    });
  });
});

describe("a signature counts only for the record it signed", () => {
  it("supersedes a pending promotion when the version's thresholds change under it", async () => {
    await setPolicy(org, { production_promotion: { required: true, approvals: 2 } });
    const model = uniqueSlug("moved");
    const versionId = await registerVersion(org, model);
    const [a, b] = org.signers as [SigningOrg["signers"][0], SigningOrg["signers"][0]];
    const path = `/v1/models/${model}/versions/v1/promote`;
    const first = await call(a, "POST", path, { stage: "production", signature: signature() });
    expect(first.status).toBe(202);
    expect((await call(org.writer, "PATCH", `/v1/models/${model}/versions/v1`, { thresholds: { age: { drift: 0.3 } } })).status).toBe(200);
    const second = await call(b, "POST", path, { stage: "production", signature: signature() });
    expect(second.status).toBe(202);
    expect(second.body.approval.id).not.toBe(first.body.approval.id);
    expect(second.body.approval.record.thresholds).toEqual({ age: { drift: 0.3 } });
    expect(second.body.approval.signatures.map((s: any) => s.signer.email)).toEqual([b.email]);
    const all = await call(org.admin, "GET", `/v1/approvals?target_id=${versionId}`);
    expect(all.body.items.map((x: any) => x.status)).toEqual(["superseded", "pending"]);
    const pending = await call(org.admin, "GET", "/v1/approvals?status=pending");
    expect(pending.body.items.map((x: any) => x.id)).toContain(second.body.approval.id);
    // a signs the new record: the promotion goes through with a and b.
    const third = await call(a, "POST", path, { stage: "production", signature: signature() });
    expect(third.status).toBe(200);
    expect(third.body.signatures).toHaveLength(2);
  });
});

describe("threshold changes", () => {
  it("need a signature when required, and apply with one", async () => {
    await setPolicy(org, { threshold_change: { required: true, approvals: 1 } });
    const model = uniqueSlug("thresholds");
    const versionId = await registerVersion(org, model);
    const path = `/v1/models/${model}/versions/v1`;
    const unsigned = await call(org.writer, "PATCH", path, { thresholds: { age: { drift: 0.2 } } });
    expect(unsigned.status).toBe(428);
    expect(unsigned.body.error.details.action).toBe("threshold_change");
    // Other fields need no signature.
    expect((await call(org.writer, "PATCH", path, { description: "unsigned is fine" })).status).toBe(200);
    const signed = await call(org.signers[2]!, "PATCH", path, { thresholds: { age: { drift: 0.2 } }, signature: signature("responsible") });
    expect(signed.status).toBe(200);
    expect(signed.body.thresholds).toEqual({ age: { drift: 0.2 } });
    const listed = await call(org.writer, "GET", `/v1/signatures?target_type=model_version&target_id=${versionId}&action=threshold_change`);
    expect(listed.body.items).toMatchObject([{ meaning: "responsible", signer: { email: org.signers[2]!.email } }]);
    // The same thresholds again are no change: nothing to sign.
    expect((await call(org.writer, "PATCH", path, { thresholds: { age: { drift: 0.2 } } })).status).toBe(200);
  });
});

describe("baseline changes", () => {
  it("need a signature to activate a baseline through every route that does", async () => {
    await setPolicy(org, { baseline_change: { required: true, approvals: 1 } });
    const model = uniqueSlug("baselines");
    await registerVersion(org, model);
    const base = `/v1/models/${model}/versions/v1`;
    const unsigned = await call(org.writer, "POST", `${base}/baselines`, { name: "training", profile: profile() });
    expect(unsigned.status).toBe(428);
    expect(await withDb((db) => db.select().from(baselines).where(eq(baselines.name, "training")).then((rows) => rows.filter((r) => r.orgId === org.orgId)))).toEqual([]);
    // Stored inactive needs no signature; activating it does.
    const stored = await call(org.writer, "POST", `${base}/baselines`, { name: "holdout", profile: profile(2), activate: false });
    expect(stored.status).toBe(201);
    expect((await call(org.writer, "POST", `${base}/baselines/${stored.body.id}/activate`, {})).status).toBe(428);
    const activated = await call(org.signers[0]!, "POST", `${base}/baselines/${stored.body.id}/activate`, { signature: signature() });
    expect(activated.status).toBe(200);
    expect(activated.body.active).toBe(true);
    const bySignature = await call(org.writer, "GET", `/v1/signatures?target_type=baseline&target_id=${stored.body.id}`);
    expect(bySignature.body.items).toHaveLength(1);
    expect(bySignature.body.items[0].record_sha256).toMatch(/^[0-9a-f]{64}$/);
    // PUT …/baseline: a raw upload cannot carry a signature; a JSON body can.
    const csv = await call(org.writer, "PUT", `${base}/baseline`, "age,country\n30,de\n40,fr\n", "text/csv");
    expect(csv.status).toBe(428);
    const rows = Array.from({ length: 30 }, (_, i) => ({ age: 20 + i, country: i % 2 ? "de" : "fr" }));
    expect((await call(org.writer, "PUT", `${base}/baseline`, { rows })).status).toBe(428);
    const put = await call(org.signers[1]!, "PUT", `${base}/baseline`, { rows, signature: signature() });
    expect(put.status).toBe(200);
    expect(put.body.baseline.active).toBe(true);
    const badSig = await call(org.signers[1]!, "PUT", `${base}/baseline`, { rows, signature: { password: "whatever" } });
    expect(badSig.status).toBe(400);
    expect(badSig.body.error.details[0].field).toBe("signature.meaning");
  });
});

describe("wrong signing passwords", () => {
  it("are limited like sign-in: after the sign-in limit, 429 even with the right password", async () => {
    const own = await seedSigningOrg(1);
    const victim = own.signers[0]!;
    const model = uniqueSlug("limited");
    await setPolicy(own, { production_promotion: { required: true, approvals: 1 } });
    await registerVersion(own, model);
    const path = `/v1/models/${model}/versions/v1/promote`;
    for (let i = 0; i < MAX_FAILURES; i++) expect((await call(victim, "POST", path, { stage: "production", signature: signature("approved", `wrong ${i}`) })).status).toBe(401);
    const limited = await call(victim, "POST", path, { stage: "production", signature: signature() });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect((await call(own.writer, "GET", `/v1/models/${model}/versions/v1`)).body.stage).toBe("development");
  });
});
