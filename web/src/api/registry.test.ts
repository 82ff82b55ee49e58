import { describe, expect, it } from "vitest";
import type { ApiClient } from "./client.ts";
import { ApiRequestError } from "./errors.ts";
import { parseVersion, uploadBaseline } from "./registry.ts";

interface Sent {
  method: string;
  path: string;
  type: string;
  body: string;
}

/** A client that records uploads; `failFirst` answers the first one with that error. */
function recorder(failFirst?: Error): { api: ApiClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const api: ApiClient = {
    get: () => Promise.reject(new Error("not used")),
    send: () => Promise.reject(new Error("not used")),
    file: () => Promise.reject(new Error("not used")),
    async upload(method, path, file, contentType, parse, onProgress) {
      sent.push({ method, path, type: contentType, body: await file.text() });
      if (failFirst && sent.length === 1) throw failFirst;
      onProgress(1);
      return parse({});
    },
  };
  return { api, sent };
}

const csv = 'age,region\n41,"south, coast"\n,north\n';

describe("uploadBaseline", () => {
  it.each([
    ["ref.csv", csv, "text/csv"],
    ["ref.jsonl", '{"age":1}\n{"age":2}\n', "application/x-ndjson"],
    ["ref.ndjson", '{"age":1}\n', "application/x-ndjson"],
    ["ref.json", ' [{"age":1},{"age":2}]', "application/json"],
    ["rows.json", '{"age":1}\n{"age":2}\n', "application/x-ndjson"],
  ])("sends %s as it is, as %s", async (name, text, type) => {
    const { api, sent } = recorder();
    expect(await uploadBaseline(api, "credit risk", "v1", new File([text], name), () => undefined)).toBe("monitor");
    expect(sent).toEqual([{ method: "PUT", path: `/v1/models/credit%20risk/versions/v1/baseline?note=${encodeURIComponent(`uploaded from ${name}`)}`, type, body: text }]);
  });

  it("sends a profile as { profile }, to the registry when the server lacks PUT …/baseline", async () => {
    const profile = { format: "vigil.profile", version: 1, rows: 3, features: [], prediction: null };
    const { api, sent } = recorder(new ApiRequestError(404, "not_found", "no route PUT /v1/models/m/versions/v1/baseline"));
    expect(await uploadBaseline(api, "m", "v1", new File([JSON.stringify(profile)], "p.json"), () => undefined)).toBe("registry");
    expect(sent.map((s) => [s.method, s.path, s.type, JSON.parse(s.body)])).toEqual([
      ["PUT", "/v1/models/m/versions/v1/baseline", "application/json", { profile }],
      ["POST", "/v1/models/m/versions/v1/baselines", "application/json", { name: "p.json", profile, activate: true }],
    ]);
  });
});

describe("parseVersion", () => {
  it("keeps a feature's PII tag and leaves untagged features without one", () => {
    const v = parseVersion({
      model: "credit", version: "v1", stage: "production", prediction_kind: "binary", description: "", created_at: "2026-12-01T00:00:00Z", links: {}, active_baseline: null,
      feature_schema: [{ name: "email", kind: "categorical", dtype: "string", pii: "email" }, { name: "age", kind: "numerical", dtype: "int" }],
    }, "");
    expect(v.features).toEqual([{ name: "email", kind: "categorical", pii: "email" }, { name: "age", kind: "numerical" }]);
  });
});
