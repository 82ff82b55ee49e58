// The address parsers and classifiers on their own. url-guard.test.ts reaches them through
// the WHATWG URL parser, which only ever hands over canonical IPv6; hostnames that embed
// an address (10-0-0-1.sslip.io, fc00--1.sslip.io) reach parseIpv6 unnormalized, so every
// spelling must parse exactly and every malformed one must be refused.
import { describe, expect, it } from "vitest";
import { classifyIpLiteral, classifyIpv6, parseIpv4, parseIpv6 } from "./ip-ranges.ts";

const v6 = (hex: string) => BigInt(`0x${hex.replace(/[^0-9a-f]/gi, "")}`);

describe("parseIpv6", () => {
  it.each([
    ["2001:db8:0:0:0:0:0:1", "20010db8000000000000000000000001"],
    ["2001:DB8::1", "20010db8000000000000000000000001"],
    ["::", "0"],
    ["::1", "1"],
    ["1::", "00010000000000000000000000000000"],
    ["1:2:3:4:5:6:7::", "00010002000300040005000600070000"],
    ["::2:3:4:5:6:7:8", "00000002000300040005000600070008"],
    ["::ffff:10.0.0.1", "00000000000000000000ffff0a000001"],
    ["64:ff9b::192.168.1.1", "0064ff9b0000000000000000c0a80101"],
    ["1:2:3:4:5:6:10.0.0.1", "0001000200030004000500060a000001"],
    ["::10.0.0.1", "0000000000000000000000000a000001"],
    // Octets of one to three digits in every position of the tail.
    ["::ffff:93.184.216.34", "00000000000000000000ffff5db8d822"],
    ["::ffff:203.0.113.255", "00000000000000000000ffffcb0071ff"],
  ])("reads %s", (text, hex) => {
    expect(parseIpv6(text)).toBe(v6(hex));
  });

  it.each([
    "1:2:3:4:5:6:7", // seven groups and no "::"
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::", // "::" standing for no group
    "1::2::3",
    "12345::1",
    "g::1",
    "1:2:3:4:5:6:7:10.0.0.1", // nine groups' worth with the IPv4 tail
    "::ffff:300.0.0.1",
    "::ffff:1.2.3",
    "x::ffff:1.2.3.4",
    "::ffff:1.2.3.4x", // text after the tail
    "::ffff:1.2.3.4567",
    ":1:2:3:4:5:6:7",
    "",
  ])("refuses %s", (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});

describe("parseIpv4", () => {
  it("reads dotted decimal and refuses octets over 255 or missing parts", () => {
    expect(parseIpv4("10.0.0.1")).toBe(0x0a000001);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
    expect(parseIpv4("256.0.0.1")).toBeUndefined();
    expect(parseIpv4("1.2.3")).toBeUndefined();
    expect(parseIpv4("1.2.3.4.5")).toBeUndefined();
  });
});

describe("classifyIpLiteral: every IPv4 special-purpose block at its edges", () => {
  // Written out from the IANA IPv4 Special-Purpose Address Registry (RFC 6890) and RFC 1112,
  // not from the code's table: each block's first and last address are refused with its own
  // reason, and the addresses just outside it are public (224.0.0.0/4 and 240.0.0.0/4 meet: the
  // last multicast address and the first reserved one are both in the table).
  const PUBLIC = { kind: "public" };
  const refused = (why: string) => ({ kind: "forbidden", why });
  const BLOCKS: Array<[first: string, last: string, verdict: object, before: string | null, after: string | null]> = [
    ["0.0.0.0", "0.255.255.255", refused("unspecified (0.0.0.0/8)"), null, "1.0.0.0"],
    ["10.0.0.0", "10.255.255.255", refused("private (10.0.0.0/8, RFC 1918)"), "9.255.255.255", "11.0.0.0"],
    ["100.64.0.0", "100.127.255.255", refused("carrier-grade NAT (100.64.0.0/10); Alibaba Cloud metadata lives here"), "100.63.255.255", "100.128.0.0"],
    ["127.0.0.0", "127.255.255.255", { kind: "loopback" }, "126.255.255.255", "128.0.0.0"],
    ["169.254.0.0", "169.254.255.255", refused("link-local or metadata (169.254.0.0/16)"), "169.253.255.255", "169.255.0.0"],
    ["172.16.0.0", "172.31.255.255", refused("private (172.16.0.0/12, RFC 1918)"), "172.15.255.255", "172.32.0.0"],
    ["192.0.0.0", "192.0.0.255", refused("reserved (192.0.0.0/24, IETF protocol assignments)"), "191.255.255.255", "192.0.1.0"],
    ["192.0.2.0", "192.0.2.255", refused("documentation (192.0.2.0/24)"), "192.0.1.255", "192.0.3.0"],
    ["192.88.99.0", "192.88.99.255", refused("reserved (192.88.99.0/24, 6to4 relay anycast)"), "192.88.98.255", "192.88.100.0"],
    ["192.168.0.0", "192.168.255.255", refused("private (192.168.0.0/16, RFC 1918)"), "192.167.255.255", "192.169.0.0"],
    ["198.18.0.0", "198.19.255.255", refused("reserved (198.18.0.0/15, benchmarking)"), "198.17.255.255", "198.20.0.0"],
    ["198.51.100.0", "198.51.100.255", refused("documentation (198.51.100.0/24)"), "198.51.99.255", "198.51.101.0"],
    ["203.0.113.0", "203.0.113.255", refused("documentation (203.0.113.0/24)"), "203.0.112.255", "203.0.114.0"],
    ["224.0.0.0", "239.255.255.255", refused("multicast (224.0.0.0/4)"), "223.255.255.255", null],
    ["240.0.0.0", "255.255.255.255", refused("reserved (240.0.0.0/4, incl. broadcast)"), null, null],
  ];

  it.each(BLOCKS)("%s to %s", (first, last, verdict, before, after) => {
    expect(classifyIpLiteral(first)).toEqual(verdict);
    expect(classifyIpLiteral(last)).toEqual(verdict);
    if (before !== null) expect(classifyIpLiteral(before)).toEqual(PUBLIC);
    if (after !== null) expect(classifyIpLiteral(after)).toEqual(PUBLIC);
  });
});

describe("classifyIpv6", () => {
  it.each([
    ["::", "unspecified (::)"],
    ["::ffff:0:a00:1", "IPv4-translated form of 10.0.0.1: private (10.0.0.0/8, RFC 1918)"],
    // Carrying a public address does not make the translated block (RFC 2765, stateless SIIT) a receiver's.
    ["::ffff:0:808:808", "reserved (::ffff:0:0:0/96)"],
    ["2001:0:a00:1::", "Teredo server 10.0.0.1: private (10.0.0.0/8, RFC 1918)"],
    ["2001:0:7f00:1::", "Teredo server 127.0.0.1: loopback"],
    ["2001:0:808:808::ffff:ffff", "Teredo client 0.0.0.0: unspecified (0.0.0.0/8)"],
    ["2001:0:808:808::7f7f:f7f7", "reserved (Teredo 2001::/32)"],
    ["2001:100::1", "reserved (2001::/23, IETF protocol assignments)"],
    ["4000::1", "reserved (outside global unicast 2000::/3)"],
  ])("refuses %s: %s", (text, why) => {
    expect(classifyIpv6(parseIpv6(text)!)).toEqual({ kind: "forbidden", why });
  });

  it("passes global unicast and calls ::1 loopback", () => {
    expect(classifyIpv6(parseIpv6("2606:4700::1111")!)).toEqual({ kind: "public" });
    expect(classifyIpv6(1n)).toEqual({ kind: "loopback" });
  });
});

describe("classifyIpLiteral", () => {
  it("refuses an unparseable IPv6 literal, ignores a zone, and is undefined for a name", () => {
    expect(classifyIpLiteral("[1::2::3]")).toEqual({ kind: "forbidden", why: "unparseable IPv6 literal" });
    expect(classifyIpLiteral("fe80::1%eth0")).toEqual({ kind: "forbidden", why: "link-local or metadata (fe80::/10)" });
    expect(classifyIpLiteral("example.com")).toBeUndefined();
    // Only one pair of enclosing brackets is taken off: stray ones leave the literal malformed.
    expect(classifyIpLiteral("[2606:4700::1111]")).toEqual({ kind: "public" });
    expect(classifyIpLiteral("[2606:4700::1111]]")).toEqual({ kind: "forbidden", why: "unparseable IPv6 literal" });
    expect(classifyIpLiteral("[2606:4700::[1111]")).toEqual({ kind: "forbidden", why: "unparseable IPv6 literal" });
  });
});
