import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiClient } from "./client.ts";
import { parseApproval, promoteToProduction, signApproval, type Approval } from "./compliance.ts";

afterEach(() => vi.unstubAllGlobals());

const signature = { password: "pw", meaning: "approved" as const };
const sig = { id: "s1", approval_id: "a1", action: "threshold_change", target_type: "model_version", target_id: "v1", signer: { user_id: "u", name: "Ada", email: "a@x" }, meaning: "reviewed", signed_at: "2026-01-01T00:00:00.000Z", record_sha256: "f".repeat(64), audit_id: 7, audit_hash: "0".repeat(64) };
const approvalJson = (action: string, record: Record<string, unknown>) => ({
  id: "a1", action, target_type: "model_version", target_id: "v1", model: "credit risk", version: "v/2", record, record_sha256: "f".repeat(64),
  approvals_required: 2, status: "pending", created_at: "2026-01-01T00:00:00.000Z", completed_at: null, signatures: [sig],
});

function recording(reply: unknown, status = 200) {
  const seen: { url: string; method: string; body: unknown }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    seen.push({ url, method: init.method ?? "GET", body: init.body ? JSON.parse(String(init.body)) : undefined });
    return Response.json(reply, { status });
  });
  return seen;
}

const api = () => createApiClient(() => ({ kind: "session", csrfToken: "tok", email: "a@x" }));

describe("signed writes", () => {
  it("tells a 202 pending approval from a change that was made", async () => {
    recording({ status: "pending_approval", approval: approvalJson("production_promotion", { stage: "production" }) }, 202);
    const pending = await promoteToProduction(api(), "credit risk", "v/2", signature);
    expect(pending.state).toBe("pending");
    expect(pending.state === "pending" && [pending.approval.approvalsRequired, pending.approval.signatures[0]!.signer.name]).toEqual([2, "Ada"]);
    recording({ version: {}, archived: [], signatures: [] });
    expect(await promoteToProduction(api(), "credit risk", "v/2", signature)).toEqual({ state: "done" });
  });

  it.each<[string, Record<string, unknown>, string, string, unknown]>([
    ["production_promotion", { stage: "production" }, "POST", "/v1/models/credit%20risk/versions/v%2F2/promote", { stage: "production", signature }],
    ["threshold_change", { thresholds: { age: { drift: 0.2 } } }, "PATCH", "/v1/models/credit%20risk/versions/v%2F2", { thresholds: { age: { drift: 0.2 } }, signature }],
    ["baseline_change", { baseline_id: "b-9" }, "POST", "/v1/models/credit%20risk/versions/v%2F2/baselines/b-9/activate", { signature }],
  ])("signs a pending %s by repeating its change with the signature", async (action, record, method, url, body) => {
    const seen = recording({ status: "pending_approval", approval: approvalJson(action, record) }, 202);
    const approval: Approval = parseApproval(approvalJson(action, record));
    await signApproval(api(), approval, signature);
    expect(seen).toEqual([{ url, method, body }]);
  });
});
