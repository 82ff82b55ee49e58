// Where a channel may point. Outside local development only https is allowed, and never
// an address an attacker would aim a server-side request at: every non-public IP
// (ip-ranges.ts), cloud metadata names, names that only resolve inside a network
// (single labels, .local, .internal, …), and names that spell a non-public address out
// (nip.io / sslip.io style: 10.0.0.1.nip.io, 10-0-0-1.sslip.io, 0a000001.nip.io,
// fc00--1.sslip.io). Loopback is allowed only under the local-development flag.
//
// The check runs when a channel is saved AND before every send (alerts/deliver.ts), so
// a channel stored under an older rule, or a deployment whose flag changed, is refused
// at send time. It judges the name as written: a public name whose DNS record points
// inside a network is not caught here. Workers' own egress cannot reach private
// networks; a self-hosted deployment should send through an egress proxy that refuses
// them (docs/security.md).
import { classifyIpLiteral, classifyIpv4, classifyIpv6, formatIpv4, parseIpv4, parseIpv6, type Verdict } from "./ip-ranges.ts";

export interface UrlPolicy {
  /** Local development: http and loopback receivers are fine. */
  allowLocal: boolean;
}

/** The deployment's policy from its VIGIL_ALLOW_HTTP_WEBHOOKS setting ("1" or "true" in local development). */
export function urlPolicyFromFlag(flag: string | undefined): UrlPolicy {
  return { allowLocal: flag === "1" || flag === "true" };
}

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com"]);

/** Public names that always resolve to 127.0.0.1 (developer conveniences). */
const LOOPBACK_DOMAINS = ["localhost", "localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "127-0-0-1.org.uk"];

/** Suffixes that only resolve inside a network (RFC 6761/6762/8375, ICANN's .internal, common pseudo-TLDs). */
const INTERNAL_SUFFIXES = ["local", "internal", "localdomain", "home.arpa", "arpa", "test", "invalid", "lan", "home", "corp", "intranet", "private"];

const under = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** IPv4 addresses spelled inside a hostname: dotted or dashed octets, or eight hex digits, at label/dash boundaries. */
function embeddedIpv4(host: string): number[] {
  const found: number[] = [];
  const octets = /(?<=^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=$|[.-])/g;
  // Overlapping matches: 1-10-0-0-1.example must find 10.0.0.1, so restart one char on.
  for (let m = octets.exec(host); m; octets.lastIndex = m.index + 1, m = octets.exec(host)) {
    const v4 = parseIpv4(m.slice(1, 5).join("."));
    if (v4 !== undefined) found.push(v4);
  }
  for (const m of host.matchAll(/(?<=^|[.-])([0-9a-f]{8})(?=$|[.-])/g)) found.push(parseInt(m[1]!, 16) >>> 0);
  return found;
}

/** IPv6 addresses spelled as a label with dashes for colons (sslip.io: --1, fe80--1, 2001-db8--1). */
function embeddedIpv6(host: string): bigint[] {
  const found: bigint[] = [];
  for (const label of host.split(".")) {
    if (!/^[0-9a-f-]+$/.test(label) || !(label.includes("--") || label.split("-").length === 8)) continue;
    const v6 = parseIpv6(label.replace(/-/g, ":"));
    if (v6 !== undefined) found.push(v6);
  }
  return found;
}

/** The worst verdict among several: forbidden beats loopback beats public. */
function worst(verdicts: Array<[Verdict, string]>): [Verdict, string] | undefined {
  return verdicts.find(([v]) => v.kind === "forbidden") ?? verdicts.find(([v]) => v.kind === "loopback");
}

/** Judges a URL's hostname; `detail` says what was found when it is not simply the host. */
export function classifyHost(hostname: string): { verdict: Verdict; detail?: string } {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const literal = classifyIpLiteral(host);
  if (literal) return { verdict: literal };
  if (METADATA_HOSTS.has(host)) return { verdict: { kind: "forbidden", why: "link-local or metadata (cloud metadata name)" } };
  if (LOOPBACK_DOMAINS.some((d) => under(host, d))) return { verdict: { kind: "loopback" } };
  if (!host.includes(".")) return { verdict: { kind: "forbidden", why: "internal name (a single label resolves through local search domains)" } };
  const suffix = INTERNAL_SUFFIXES.find((s) => under(host, s));
  if (suffix) return { verdict: { kind: "forbidden", why: `internal name (.${suffix} resolves only inside a network)` } };
  const embedded = worst([
    ...embeddedIpv4(host).map((a): [Verdict, string] => [classifyIpv4(a), formatIpv4(a)]),
    ...embeddedIpv6(host).map((a): [Verdict, string] => [classifyIpv6(a), "an IPv6 address"]),
  ]);
  if (embedded) {
    const [verdict, addr] = embedded;
    return { verdict: verdict.kind === "forbidden" ? { kind: "forbidden", why: `the name embeds ${addr}: ${verdict.why}` } : verdict, detail: `embeds ${addr}` };
  }
  return { verdict: { kind: "public" } };
}

/** Returns a reason the URL is not acceptable, or undefined when it is. */
export function checkChannelUrl(raw: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && !(policy.allowLocal && url.protocol === "http:")) {
    return policy.allowLocal ? "must use http or https" : "must use https";
  }
  if (url.username || url.password) return "must not contain credentials";
  const { verdict, detail } = classifyHost(url.hostname);
  if (verdict.kind === "forbidden") return `must not point at a non-public address (${url.hostname}: ${verdict.why})`;
  if (verdict.kind === "loopback" && !policy.allowLocal) return `must not point at a loopback address (${url.hostname}${detail ? `, ${detail}` : ""})`;
  return undefined;
}
