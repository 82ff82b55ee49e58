import { describe, expect, it } from "vitest";
import { ApiRequestError } from "../../api/errors.ts";
import { buildRequest, EMPTY_FORM, explainFailure, localInputValue, type ReportForm } from "./report-form.ts";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const form = (over: Partial<ReportForm>): ReportForm => ({ ...EMPTY_FORM, ...over });

describe("buildRequest", () => {
  it("sends a drift report over the last 24 hours with model and version", () => {
    expect(buildRequest(form({ model: "loans", version: "v1" }), NOW)).toEqual({
      request: { kind: "drift", model: "loans", version: "v1", from: "2026-12-04T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z", format: "html" },
    });
  });

  it("leaves the version out of a model-risk report over every version, and sends the 30-day preset", () => {
    expect(buildRequest(form({ kind: "model-risk", model: "loans", version: "", range: "30d", format: "pdf" }), NOW)).toEqual({
      request: { kind: "model-risk", model: "loans", from: "2026-11-05T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z", format: "pdf" },
    });
  });

  it("sends a compliance report about a project, or the org, without the model the form still holds", () => {
    const project = buildRequest(form({ kind: "audit-trail", scope: "project", project: "risk", model: "loans", version: "v1", range: "7d" }), NOW);
    expect(project).toEqual({ request: { kind: "audit-trail", project: "risk", from: "2026-11-28T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z", format: "html" } });
    const org = buildRequest(form({ kind: "gdpr-processing", scope: "org", model: "loans", version: "v1" }), NOW);
    expect(org).toEqual({ request: { kind: "gdpr-processing", from: "2026-12-04T12:00:00.000Z", to: "2026-12-05T12:00:00.000Z", format: "html" } });
  });

  it("names what is missing before asking the server", () => {
    expect(buildRequest(form({ kind: "performance" }), NOW)).toEqual({ errors: { model: "choose a model for a performance report", version: "choose a version for a performance report" } });
    expect(buildRequest(form({ kind: "audit-trail", scope: "project" }), NOW)).toEqual({ errors: { project: "choose a project, or cover the whole org" } });
  });

  it("reads a custom range in local time and refuses one that ends first or runs too long", () => {
    const from = localInputValue(Date.parse("2026-12-01T08:00:00Z"));
    const to = localInputValue(Date.parse("2026-12-02T08:00:00Z"));
    const ok = buildRequest(form({ model: "m", version: "v", range: "custom", from, to }), NOW);
    expect(ok).toMatchObject({ request: { from: "2026-12-01T08:00:00.000Z", to: "2026-12-02T08:00:00.000Z" } });
    expect(buildRequest(form({ model: "m", version: "v", range: "custom", from: to, to: from }), NOW)).toEqual({ errors: { to: "must be after from" } });
    const long = buildRequest(form({ model: "m", version: "v", range: "custom", from: localInputValue(Date.parse("2026-10-01T00:00:00Z")), to }), NOW);
    expect(long).toEqual({ errors: { from: "a drift report covers at most 31 days" } });
    expect(buildRequest(form({ model: "m", version: "v", range: "custom", from: "", to }), NOW)).toEqual({ errors: { from: "enter when the report starts" } });
  });
});

describe("explainFailure", () => {
  it("puts each field the API names under that field, and the rest in the banner", () => {
    const err = new ApiRequestError(422, "range_out_of_retention", "from: is before …", [{ field: "from", error: "is before 2026-11-01T00:00:00.000Z, the oldest raw events retention kept" }]);
    expect(explainFailure(err, "drift")).toEqual({ fields: { from: "is before 2026-11-01T00:00:00.000Z, the oldest raw events retention kept" }, banner: null });
    const mixed = new ApiRequestError(400, "validation_failed", "invalid", [{ field: "version", error: "is required" }, { field: "query.x", error: "unknown" }]);
    expect(explainFailure(mixed, "drift")).toEqual({ fields: { version: "is required" }, banner: "query.x: unknown" });
  });

  it("explains a 403 on a compliance kind as the admin role it needs", () => {
    const err = new ApiRequestError(403, "forbidden", 'user a@x lacks the "admin" scope on this project');
    expect(explainFailure(err, "audit-trail").banner).toBe('user a@x lacks the "admin" scope on this project. Audit-trail and GDPR processing reports need the admin role (or an admin key) on their scope.');
    expect(explainFailure(err, "drift").banner).toBe('user a@x lacks the "admin" scope on this project');
  });

  it("takes the extra fields a schedule form has", () => {
    const err = new ApiRequestError(400, "validation_failed", "cron: bad", [{ field: "cron", error: "has 4 fields" }]);
    expect(explainFailure(err, "drift", ["cron"]).fields).toEqual({ cron: "has 4 fields" });
    expect(explainFailure(err, "drift").banner).toBe("cron: bad (cron)");
  });
});
