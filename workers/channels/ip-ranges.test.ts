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

describe("classifyIpv6", () => {
  it.each([
    ["::", "unspecified (::)"],
    ["::ffff:0:a00:1", "IPv4-translated form of 10.0.0.1: private (10.0.0.0/8, RFC 1918)"],
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
  });
});
