import { describe, expect, it } from "vitest";
import { channelSecrets, maskSecret, maskUrl, redactConfig, restoreMasked } from "./redact-config.ts";

const SLACK = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXabcd";

describe("redactConfig", () => {
  it("shows URLs as origin and last 4, credentials as last 4, other fields as they are", () => {
    expect(redactConfig({ url: SLACK })).toEqual({ url: "https://hooks.slack.com/…abcd" });
    expect(redactConfig({ routing_key: "R0UT1NGKEY00000000000000000000AB", url: "https://pd.example.com/v2/enqueue" })).toEqual({ routing_key: "…00AB", url: "https://pd.example.com/…ueue" });
    expect(redactConfig({ format: "github", repo: "acme/models", token: "ghp_0123456789abcdefWXYZ", api_url: "https://ghe.example.com/api/v3", hold_minutes: 30 })).toEqual({
      format: "github", repo: "acme/models", token: "…WXYZ", api_url: "https://ghe.example.com/…i/v3", hold_minutes: 30,
    });
  });

  it("shows nothing of a short credential", () => {
    expect(maskSecret("k")).toBe("…");
    expect(maskSecret("shortsecret")).toBe("…");
    expect(maskUrl("not a url at all but long")).toBe("…long");
  });
});

describe("restoreMasked", () => {
  const stored = { routing_key: "R0UT1NGKEY00000000000000000000AB", url: "https://pd.example.com/v2/enqueue" };

  it("keeps the stored value for a mask sent back unchanged", () => {
    expect(restoreMasked(redactConfig(stored), stored)).toEqual({ ok: true, config: stored });
  });

  it("takes a new full value", () => {
    expect(restoreMasked({ ...redactConfig(stored), routing_key: "NEWKEY" }, stored)).toEqual({ ok: true, config: { ...stored, routing_key: "NEWKEY" } });
  });

  it("refuses a mask that is not the stored value's, and any mask on create", () => {
    expect(restoreMasked({ ...stored, routing_key: "…9999" }, stored)).toMatchObject({ ok: false, field: "config.routing_key" });
    expect(restoreMasked({ url: "https://hooks.slack.com/…abcd" }, null)).toMatchObject({ ok: false, field: "config.url" });
    expect(restoreMasked({ secret: "…abcd" }, stored)).toMatchObject({ ok: false, field: "config.secret" });
  });

  it("never lets a kept credential follow a new destination", () => {
    const moved = restoreMasked({ ...redactConfig(stored), url: "https://attacker.example.com/collect" }, stored);
    expect(moved).toMatchObject({ ok: false, field: "config.routing_key" });
    expect((moved as { error: string }).error).toContain("config.url changes");
    const github = { format: "github", repo: "acme/models", token: "ghp_0123456789abcdefWXYZ" };
    expect(restoreMasked({ ...redactConfig(github), repo: "attacker/repo" }, github)).toMatchObject({ ok: false, field: "config.token" });
    expect(restoreMasked({ ...redactConfig(github), api_url: "https://attacker.example.com" }, github)).toMatchObject({ ok: false, field: "config.token" });
  });

  it("leaves non-credential fields that contain … alone", () => {
    expect(restoreMasked({ event_type: "retrain…now" }, {})).toEqual({ ok: true, config: { event_type: "retrain…now" } });
  });
});

describe("channelSecrets", () => {
  it("lists the signing secret and every credential and URL", () => {
    expect(channelSecrets({ secret: "whsec_x", config: { url: SLACK, routing_key: "rk", repo: "acme/models" } }).sort()).toEqual([SLACK, "rk", "whsec_x"].sort());
  });
});
