// docs/schemas/report.schema.json against reports the real Worker generates: one of every
// kind, JSON, validated with ajv; and the schema refusing what breaks it (a missing field,
// a wrong type, an unknown top-level key, the wrong data for the kind). The richer reports
// of kinds.test.ts (confusion matrices, regression errors, signatures, erasures) are
// validated there, through kinds-testing.ts `generate`.
import { beforeAll, describe, expect, it } from "vitest";
import { REPORT_KINDS } from "./document.ts";
import { bearer, generate } from "./kinds-testing.ts";
import { reportSchemaErrors } from "./schema-testing.ts";
import { seedReportOrg, type ReportOrg } from "./testing.ts";

let org: ReportOrg;
const docs = new Map<string, any>();

beforeAll(async () => {
  org = await seedReportOrg();
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const scope: Record<string, Record<string, string>> = { drift: { model: org.model, version: "v1" }, performance: { model: org.model, version: "v1" }, "model-risk": { model: org.model }, "audit-trail": {}, "gdpr-processing": { project: "default" } };
  for (const kind of REPORT_KINDS) docs.set(kind, (await generate(bearer(org.admin), { kind, format: "json", from, to, ...scope[kind] })).doc);
}, 60_000);

describe("docs/schemas/report.schema.json", () => {
  it.each([...REPORT_KINDS])("accepts a generated %s report", (kind) => {
    const doc = docs.get(kind);
    expect(doc.kind).toBe(kind);
    expect(reportSchemaErrors(doc)).toEqual([]);
  });

  it("refuses a report that breaks it, naming the place", () => {
    const drift = docs.get("drift");
    const copy = () => JSON.parse(JSON.stringify(drift));
    const noHash = copy();
    delete noHash.content_sha256;
    expect(reportSchemaErrors(noHash).join()).toMatch(/required.*content_sha256/);
    const extra = { ...copy(), colour: "red" };
    expect(reportSchemaErrors(extra).join()).toMatch(/must NOT have additional properties.*colour/);
    const wrongType = copy();
    wrongType.data.features[0].range.score = "high";
    expect(reportSchemaErrors(wrongType).join()).toMatch(/\/data\/features\/0\/range\/score must be number/);
    // The data of one kind under another kind's name.
    expect(reportSchemaErrors({ ...copy(), kind: "performance" }).join()).toMatch(/\/data must have required property 'task'/);
    const late = copy();
    late.generated_at = "yesterday";
    expect(reportSchemaErrors(late).join()).toMatch(/\/generated_at must match format "date-time"/);
    const anchor = copy();
    anchor.audit_anchor.last_hash = "not-a-hash";
    expect(reportSchemaErrors(anchor).join()).toMatch(/\/audit_anchor\/last_hash must match pattern/);
  });
});
