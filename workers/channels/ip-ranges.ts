// Which IP addresses a webhook receiver may have. The rule is "public unicast only":
// every IPv4 special-purpose block a server-side request could be aimed at (private,
// loopback, link-local and cloud metadata, carrier-grade NAT, multicast, reserved,
// documentation, benchmarking) is refused, and IPv6 is allowed only inside global
// unicast 2000::/3. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
// IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) are judged by
// the address they carry; local-use NAT64 (64:ff9b:1::/48) and the rest of the IETF
// block 2001::/23 are refused outright, since no webhook receiver lives there.
//
// Addresses arrive as the WHATWG URL parser leaves them (IPv4 dotted-decimal, IPv6
// canonical in brackets), but both parsers here accept any valid spelling, since
// hostnames that embed addresses (url-guard.ts) are not normalized by anyone.

export type Verdict = { kind: "public" } | { kind: "loopback" } | { kind: "forbidden"; why: string };

const PUBLIC: Verdict = { kind: "public" };
const LOOPBACK: Verdict = { kind: "loopback" };
const forbidden = (why: string): Verdict => ({ kind: "forbidden", why });

/** Dotted-decimal IPv4 (four parts, each 0-255, no leading-zero octal games) as a 32-bit number. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** IPv6 text (with optional :: and a dotted IPv4 tail) as a 128-bit bigint. */
export function parseIpv6(text: string): bigint | undefined {
  let s = text;
  let tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!);
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    s = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const words = [...head.map((g) => parseInt(g, 16)), ...Array<number>(8 - known).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

type V4Block = [net: string, bits: number, verdict: Verdict];

const V4_BLOCKS: V4Block[] = [
  ["0.0.0.0", 8, forbidden("unspecified (0.0.0.0/8)")],
  ["10.0.0.0", 8, forbidden("private (10.0.0.0/8, RFC 1918)")],
  ["100.64.0.0", 10, forbidden("carrier-grade NAT (100.64.0.0/10); Alibaba Cloud metadata lives here")],
  ["127.0.0.0", 8, LOOPBACK],
  ["169.254.0.0", 16, forbidden("link-local or metadata (169.254.0.0/16)")],
  ["172.16.0.0", 12, forbidden("private (172.16.0.0/12, RFC 1918)")],
  ["192.0.0.0", 24, forbidden("reserved (192.0.0.0/24, IETF protocol assignments)")],
  ["192.0.2.0", 24, forbidden("documentation (192.0.2.0/24)")],
  ["192.88.99.0", 24, forbidden("reserved (192.88.99.0/24, 6to4 relay anycast)")],
  ["192.168.0.0", 16, forbidden("private (192.168.0.0/16, RFC 1918)")],
  ["198.18.0.0", 15, forbidden("reserved (198.18.0.0/15, benchmarking)")],
  ["198.51.100.0", 24, forbidden("documentation (198.51.100.0/24)")],
  ["203.0.113.0", 24, forbidden("documentation (203.0.113.0/24)")],
  ["224.0.0.0", 4, forbidden("multicast (224.0.0.0/4)")],
  ["240.0.0.0", 4, forbidden("reserved (240.0.0.0/4, incl. broadcast)")],
];

const V4_TABLE = V4_BLOCKS.map(([net, bits, verdict]) => ({ net: parseIpv4(net)!, mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, verdict }));

export function classifyIpv4(addr: number): Verdict {
  for (const b of V4_TABLE) if (((addr & b.mask) >>> 0) === b.net) return b.verdict;
  return PUBLIC;
}

const inV6 = (addr: bigint, net: string, bits: number) => addr >> BigInt(128 - bits) === parseIpv6(net)! >> BigInt(128 - bits);
const v4At = (addr: bigint, shift: number) => Number((addr >> BigInt(shift)) & 0xffffffffn);

/** An IPv4 address carried inside IPv6: forbidden if what it carries is, with both named. */
function carried(form: string, v4: number, otherwise: Verdict = PUBLIC): Verdict {
  const inner = classifyIpv4(v4);
  if (inner.kind === "public") return otherwise;
  if (inner.kind === "loopback") return LOOPBACK;
  return forbidden(`${form} of ${formatIpv4(v4)}: ${inner.why}`);
}

export function classifyIpv6(addr: bigint): Verdict {
  if (addr === 0n) return forbidden("unspecified (::)");
  if (addr === 1n) return LOOPBACK;
  if (inV6(addr, "::ffff:0:0", 96)) return carried("IPv4-mapped form", v4At(addr, 0));
  if (inV6(addr, "::ffff:0:0:0", 96)) return carried("IPv4-translated form", v4At(addr, 0), forbidden("reserved (::ffff:0:0:0/96)"));
  if (inV6(addr, "::", 96)) return carried("IPv4-compatible form", v4At(addr, 0), forbidden("reserved (IPv4-compatible ::/96, deprecated)"));
  if (inV6(addr, "64:ff9b::", 96)) return carried("NAT64 form", v4At(addr, 0));
  if (inV6(addr, "64:ff9b:1::", 48)) return forbidden("local-use NAT64 (64:ff9b:1::/48)");
  if (inV6(addr, "2002::", 16)) return carried("6to4 form", v4At(addr, 80));
  if (inV6(addr, "2001::", 32)) {
    // Teredo: the server's IPv4 in bits 32-63, the client's (inverted) in the last 32.
    for (const [who, v4] of [["Teredo server", v4At(addr, 64)], ["Teredo client", ~v4At(addr, 0) >>> 0]] as const) {
      const inner = classifyIpv4(v4);
      if (inner.kind !== "public") return forbidden(`${who} ${formatIpv4(v4)}: ${inner.kind === "loopback" ? "loopback" : inner.why}`);
    }
    return forbidden("reserved (Teredo 2001::/32)");
  }
  if (inV6(addr, "2001::", 23)) return forbidden("reserved (2001::/23, IETF protocol assignments)");
  if (inV6(addr, "2001:db8::", 32) || inV6(addr, "3fff::", 20)) return forbidden("documentation (2001:db8::/32, 3fff::/20)");
  if (inV6(addr, "2000::", 3)) return PUBLIC;
  if (inV6(addr, "fe80::", 10)) return forbidden("link-local or metadata (fe80::/10)");
  if (inV6(addr, "fc00::", 7)) return forbidden("unique local (fc00::/7)");
  if (inV6(addr, "fec0::", 10)) return forbidden("site-local (fec0::/10, deprecated)");
  if (inV6(addr, "ff00::", 8)) return forbidden("multicast (ff00::/8)");
  if (inV6(addr, "100::", 64)) return forbidden("discard-only (100::/64)");
  return forbidden("reserved (outside global unicast 2000::/3)");
}

/** An IP literal (IPv4, or IPv6 with or without brackets), or undefined when `host` is not one. */
export function classifyIpLiteral(host: string): Verdict | undefined {
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return classifyIpv4(v4);
  const bare = host.replace(/^\[|\]$/g, "");
  if (!bare.includes(":")) return undefined;
  const v6 = parseIpv6(bare.replace(/%.*$/, ""));
  return v6 === undefined ? forbidden("unparseable IPv6 literal") : classifyIpv6(v6);
}
