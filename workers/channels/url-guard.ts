// Where a channel may point. Outside local development only https is allowed, and
// never the addresses an attacker would aim a server-side request at: cloud metadata
// endpoints, link-local and unspecified addresses, and (in production) loopback.
// Hostnames are checked as written; the WHATWG URL parser already turns numeric
// forms like http://2852039166/ into 169.254.169.254, so those cannot slip through.

export interface UrlPolicy {
  /** Local development: http and loopback receivers are fine. */
  allowLocal: boolean;
}

const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com"]);

function ipv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** The IPv4 address inside an IPv4-mapped IPv6 literal (::ffff:a.b.c.d or ::ffff:XXXX:XXXX), if any. */
function mappedIpv4(host: string): number[] | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted) return ipv4(dotted[1]!);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

type Verdict = "forbidden" | "loopback" | "ok";

function classifyV4([a, b]: number[]): Verdict {
  if (a === 169 && b === 254) return "forbidden"; // link-local, incl. 169.254.169.254 metadata
  if (a === 0) return "forbidden";
  if (a === 100 && b === 100) return "forbidden"; // Alibaba metadata 100.100.100.200 lives here
  if (a === 127) return "loopback";
  return "ok";
}

function classify(hostname: string): Verdict {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (METADATA_HOSTS.has(host)) return "forbidden";
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  const v4 = ipv4(host) ?? mappedIpv4(host);
  if (v4) return classifyV4(v4);
  if (host.includes(":")) {
    if (host === "::1") return "loopback";
    if (host === "::" || /^fe[89ab]/.test(host)) return "forbidden"; // unspecified, fe80::/10 link-local
    if (host === "fd00:ec2::254") return "forbidden"; // AWS IMDS over IPv6
  }
  return "ok";
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
  const verdict = classify(url.hostname);
  if (verdict === "forbidden") return `must not point at a link-local or metadata address (${url.hostname})`;
  if (verdict === "loopback" && !policy.allowLocal) return `must not point at a loopback address (${url.hostname})`;
  return undefined;
}
