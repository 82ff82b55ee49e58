import { describe, expect, it } from "vitest";
import { checkChannelUrl, classifyHost, urlPolicyFromFlag } from "./url-guard.ts";

const prod = { allowLocal: false };
const local = { allowLocal: true };

describe("checkChannelUrl", () => {
  it.each([
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://events.pagerduty.com/v2/enqueue",
    "https://example.com:8443/hooks/vigil?x=1",
    "https://8.8.8.8/hook",
    "https://8.8.8.8.nip.io/hook", // embeds a public address: fine
    "https://deadbeef.example.com/", // eight hex digits that spell a public address
    "https://[2606:4700:4700::1111]/hook",
    "https://[::ffff:8.8.8.8]/hook", // mapped public IPv4
    "https://[64:ff9b::808:808]/hook", // NAT64 of 8.8.8.8
    "https://[2002:808:808::1]/hook", // 6to4 of 8.8.8.8
    "https://xn--bcher-kva.example/hook", // punycode labels are not IPv6 spelled with dashes
    "https://api-v2.example.com/hook",
    "https://300-1-1-1.example.com/hook", // not an address: 300 is no octet
    "https://dead--beef--1.example.com/hook", // not an address: two "::"
  ])("accepts %s in production", (url) => {
    expect(checkChannelUrl(url, prod)).toBeUndefined();
  });

  it.each([
    ["http://example.com/hook", "must use https"],
    ["ftp://example.com/hook", "must use https"],
    ["not a url", "must be an absolute URL"],
    ["https://user:pw@example.com/", "must not contain credentials"],
    ["https://user@example.com/", "must not contain credentials"],
    ["https://:pw@example.com/", "must not contain credentials"],
    // link-local and metadata, in every spelling the URL parser normalizes
    ["https://169.254.169.254/latest/meta-data/", "link-local or metadata"],
    ["https://2852039166/latest/meta-data/", "link-local or metadata"],
    ["https://0xA9FEA9FE/", "link-local or metadata"],
    ["https://0251.0376.0251.0376/", "link-local or metadata"],
    ["https://[fd00:ec2::254]/latest/", "unique local"],
    ["https://[fe80::1]/", "link-local or metadata"],
    ["https://[::ffff:169.254.169.254]/", "link-local or metadata"],
    ["https://metadata.google.internal/computeMetadata/v1/", "link-local or metadata"],
    ["https://METADATA.GOOGLE.INTERNAL./x", "link-local or metadata"],
    ["https://100.100.100.200/latest/meta-data", "carrier-grade NAT"],
    // RFC 1918, CGNAT, unspecified, reserved
    ["https://10.0.0.5/internal", "private (10.0.0.0/8"],
    ["https://10.1/internal", "private (10.0.0.0/8"],
    ["https://172.16.0.1/", "private (172.16.0.0/12"],
    ["https://172.31.255.255/", "private (172.16.0.0/12"],
    ["https://192.168.1.1/", "private (192.168.0.0/16"],
    ["https://100.64.0.1/", "carrier-grade NAT"],
    ["https://100.127.255.254/", "carrier-grade NAT"],
    ["https://0.0.0.0/", "unspecified"],
    ["https://224.0.0.1/", "multicast"],
    ["https://255.255.255.255/", "reserved (240.0.0.0/4"],
    ["https://198.18.0.1/", "benchmarking"],
    ["https://192.0.0.170/", "IETF protocol assignments"],
    ["https://192.0.2.1/", "documentation"],
    // IPv6: ULA, unspecified, multicast, site-local, outside 2000::/3
    ["https://[fc00::1]/", "unique local (fc00::/7)"],
    ["https://[fdff:ffff::1]/", "unique local (fc00::/7)"],
    ["https://[::]/", "unspecified"],
    ["https://[ff02::1]/", "multicast"],
    ["https://[fec0::1]/", "site-local"],
    ["https://[100::1]/", "discard-only"],
    ["https://[2001:db8::1]/", "documentation"],
    // IPv6 forms carrying a private IPv4
    ["https://[::ffff:10.0.0.1]/", "IPv4-mapped form of 10.0.0.1"],
    ["https://[::ffff:a00:1]/", "IPv4-mapped form of 10.0.0.1"],
    ["https://[::ffff:0:c0a8:101]/", "IPv4-translated form of 192.168.1.1"],
    ["https://[::10.0.0.1]/", "IPv4-compatible form of 10.0.0.1"],
    ["https://[::8.8.8.8]/", "IPv4-compatible ::/96, deprecated"],
    ["https://[64:ff9b::10.0.0.1]/", "NAT64 form of 10.0.0.1"],
    ["https://[64:ff9b::a9fe:a9fe]/", "NAT64 form of 169.254.169.254"],
    ["https://[64:ff9b:1::a00:1]/", "local-use NAT64"],
    ["https://[2002:a00:1::1]/", "6to4 form of 10.0.0.1"],
    ["https://[2002:c0a8:101::]/", "6to4 form of 192.168.1.1"],
    ["https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "Teredo client 10.0.0.1"],
    ["https://[2001:0:a00:1::]/", "Teredo server 10.0.0.1"],
    ["https://[2001:0:808:808:0:0:f7f7:f7f7]/", "reserved (Teredo"],
    // names that embed a non-public address
    ["https://10.0.0.1.nip.io/hook", "embeds 10.0.0.1"],
    ["https://app.192.168.1.1.nip.io/hook", "embeds 192.168.1.1"],
    ["https://10-0-0-1.sslip.io/hook", "embeds 10.0.0.1"],
    ["https://customer-app-172-16-0-9.nip.io/", "embeds 172.16.0.9"],
    ["https://1-10-0-0-1.example.com/", "embeds 10.0.0.1"],
    ["https://app-192-168-100-200.nip.io/", "embeds 192.168.100.200"],
    ["https://hooks.app-10-0-0-1/", "embeds 10.0.0.1"], // at the very end of the name
    ["https://hooks.app-0a000001/", "embeds 10.0.0.1"],
    ["https://8-8-8-8.10-0-0-1.nip.io/", "embeds 10.0.0.1"], // a public address first does not hide a private one
    ["https://fc00-1111-2222-3333-4444-5555-6666-7777.sslip.io/", "unique local"], // eight groups, no "--"
    ["https://0a000001.nip.io/hook", "embeds 10.0.0.1"],
    ["https://app-a9fea9fe.nip.io/", "embeds 169.254.169.254"],
    ["https://100.64.1.1.sslip.io/", "embeds 100.64.1.1"],
    ["https://fc00--1.sslip.io/", "unique local"],
    ["https://fe80--1.sslip.io/", "link-local"],
    // names that only resolve inside a network
    ["https://intranet/hook", "single label"],
    ["https://db.internal/hook", ".internal"],
    ["https://printer.local/hook", ".local"],
    ["https://router.home.arpa/", ".home.arpa"],
    // loopback, outside local development
    ["https://127.0.0.1/hook", "loopback"],
    ["https://127.1/hook", "loopback"],
    ["https://localhost:8443/hook", "loopback"],
    ["https://app.localhost/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
    ["https://[::ffff:127.0.0.1]/hook", "loopback"],
    ["https://127.0.0.1.nip.io/hook", "loopback"],
    ["https://7f000001.nip.io/hook", "loopback"],
    ["https://--1.sslip.io/hook", "loopback"],
    ["https://lvh.me/hook", "loopback"],
  ])("rejects %s in production (%s)", (url, reason) => {
    expect(checkChannelUrl(url, prod)).toContain(reason);
  });

  // Every entry of the guard's lists, each refused with its own reason.
  it.each(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com"])(
    "rejects the cloud metadata name %s",
    (host) => {
      expect(checkChannelUrl(`https://${host}/latest`, prod)).toBe(`must not point at a non-public address (${host}: link-local or metadata (cloud metadata name))`);
    },
  );

  it.each(["localhost", "localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "127-0-0-1.org.uk", "api.localtest.me"])(
    "rejects %s, a public name for loopback, outside local development only",
    (host) => {
      expect(checkChannelUrl(`https://${host}/hook`, prod)).toBe(`must not point at a loopback address (${host})`);
      expect(checkChannelUrl(`http://${host}/hook`, local)).toBeUndefined();
    },
  );

  it.each(["local", "internal", "localdomain", "home.arpa", "arpa", "test", "invalid", "lan", "home", "corp", "intranet", "private"])(
    "rejects names under .%s",
    (suffix) => {
      expect(checkChannelUrl(`https://hooks.${suffix}/x`, prod)).toBe(`must not point at a non-public address (hooks.${suffix}: internal name (.${suffix} resolves only inside a network))`);
    },
  );

  it("says what a refused name embeds", () => {
    expect(checkChannelUrl("https://10-0-0-1.sslip.io/", prod)).toBe("must not point at a non-public address (10-0-0-1.sslip.io: the name embeds 10.0.0.1: private (10.0.0.0/8, RFC 1918))");
    expect(checkChannelUrl("https://127.0.0.1.nip.io/", prod)).toBe("must not point at a loopback address (127.0.0.1.nip.io, embeds 127.0.0.1)");
    expect(checkChannelUrl("https://intranet/", prod)).toBe("must not point at a non-public address (intranet: internal name (a single label resolves through local search domains))");
  });

  it("classifies hosts: public, loopback with what it embeds, forbidden with why", () => {
    expect(classifyHost("example.com")).toEqual({ verdict: { kind: "public" } });
    expect(classifyHost("8.8.8.8.nip.io")).toEqual({ verdict: { kind: "public" } });
    expect(classifyHost("7f000001.nip.io")).toEqual({ verdict: { kind: "loopback" }, detail: "embeds 127.0.0.1" });
  });

  it("allows http and loopback in local development, never private or metadata", () => {
    expect(checkChannelUrl("http://127.0.0.1:9999/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://localhost/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://[::1]:9999/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://127.0.0.1.nip.io/hook", local)).toBeUndefined();
    expect(checkChannelUrl("http://169.254.169.254/", local)).toContain("link-local or metadata");
    expect(checkChannelUrl("http://10.0.0.1/", local)).toContain("private");
    expect(checkChannelUrl("http://192.168.1.1.nip.io/", local)).toContain("private");
    expect(checkChannelUrl("gopher://127.0.0.1/", local)).toBe("must use http or https");
  });

  it("reads the deployment flag", () => {
    expect(urlPolicyFromFlag("1")).toEqual(local);
    expect(urlPolicyFromFlag("true")).toEqual(local);
    expect(urlPolicyFromFlag("")).toEqual(prod);
    expect(urlPolicyFromFlag(undefined)).toEqual(prod);
  });
});
