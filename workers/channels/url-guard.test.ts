import { describe, expect, it } from "vitest";
import { checkChannelUrl } from "./url-guard.ts";

const prod = { allowLocal: false };
const local = { allowLocal: true };

describe("checkChannelUrl", () => {
  it.each([
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://events.pagerduty.com/v2/enqueue",
    "https://example.com:8443/hooks/vigil?x=1",
    "https://10.0.0.5/internal-but-routable",
  ])("accepts %s in production", (url) => {
    expect(checkChannelUrl(url, prod)).toBeUndefined();
  });

  it.each([
    ["http://example.com/hook", "must use https"],
    ["ftp://example.com/hook", "must use https"],
    ["not a url", "must be an absolute URL"],
    ["https://user:pw@example.com/", "must not contain credentials"],
    ["https://169.254.169.254/latest/meta-data/", "link-local or metadata"],
    ["https://2852039166/latest/meta-data/", "link-local or metadata"],
    ["https://0xA9FEA9FE/", "link-local or metadata"],
    ["https://[fd00:ec2::254]/latest/", "link-local or metadata"],
    ["https://[fe80::1]/", "link-local or metadata"],
    ["https://[::ffff:169.254.169.254]/", "link-local or metadata"],
    ["https://metadata.google.internal/computeMetadata/v1/", "link-local or metadata"],
    ["https://METADATA.GOOGLE.INTERNAL./x", "link-local or metadata"],
    ["https://100.100.100.200/latest/meta-data", "link-local or metadata"],
    ["https://0.0.0.0/", "link-local or metadata"],
    ["https://127.0.0.1/hook", "loopback"],
    ["https://localhost:8443/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
  ])("rejects %s in production (%s)", (url, reason) => {
    expect(checkChannelUrl(url, prod)).toContain(reason);
  });

  it("allows http and loopback in local development, never metadata", () => {
    expect(checkChannelUrl("http://127.0.0.1:9999/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://localhost/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://169.254.169.254/", local)).toContain("link-local or metadata");
    expect(checkChannelUrl("gopher://127.0.0.1/", local)).toBe("must use http or https");
  });
});
