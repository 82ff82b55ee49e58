// OTLP/HTTP exporter settings from the environment variables the OpenTelemetry
// specification names (https://opentelemetry.io/docs/specs/otel/protocol/exporter/,
// https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable):
//  - OTEL_EXPORTER_OTLP_ENDPOINT: base URL; metrics go to <base>/v1/metrics.
//    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, when set, is used as is.
//  - OTEL_EXPORTER_OTLP_HEADERS (and _METRICS_HEADERS, which wins per key): comma-separated
//    key=value pairs, values percent-decoded (W3C Baggage syntax).
//  - OTEL_EXPORTER_OTLP_PROTOCOL (and _METRICS_PROTOCOL): http/protobuf (the spec's
//    default) or http/json. grpc is refused: Workers speak HTTP/1.1 and HTTP/2 fetch only.
//  - OTEL_EXPORTER_OTLP_TIMEOUT (and _METRICS_TIMEOUT): milliseconds, default 10,000.
//  - OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES: the resource (service.name defaults to "vigil").
// A bad value is a configuration error naming the variable, reported by GET /v1/health;
// export stays off until it is fixed.

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface OtlpConfig {
  /** Full metrics URL. */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Resource attributes (service.name, service.version, and OTEL_RESOURCE_ATTRIBUTES). */
  resource: Record<string, string>;
}

export interface OtlpEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  OTEL_EXPORTER_OTLP_METRICS_HEADERS?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_TIMEOUT?: string;
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT?: string;
  OTEL_SERVICE_NAME?: string;
  OTEL_RESOURCE_ATTRIBUTES?: string;
  VIGIL_VERSION?: string;
}

export class OtlpConfigError extends Error {
  override name = "OtlpConfigError";
}

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== "";

function decode(text: string, variable: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new OtlpConfigError(`${variable}: "${text.slice(0, 40)}" is not valid percent-encoding`);
  }
}

/**
 * `key1=value1,key2=value2` with percent-encoded values (the spec's list format for
 * headers and resource attributes). Whitespace around keys and values is dropped; an
 * entry without `=` or with an empty key is an error naming the variable.
 */
export function parseKeyValueList(text: string, variable: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const entry of text.split(",")) {
    if (entry.trim() === "") continue;
    const eq = entry.indexOf("=");
    const key = eq < 0 ? "" : decode(entry.slice(0, eq).trim(), variable);
    if (eq < 0 || key === "") throw new OtlpConfigError(`${variable}: each entry must be key=value, got "${entry.trim().slice(0, 40)}"`);
    out[key] = decode(entry.slice(eq + 1).trim(), variable);
  }
  return out;
}

function endpointUrl(env: OtlpEnv): string {
  const variable = set(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) ? "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT";
  const raw = (set(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) ? env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT : env.OTEL_EXPORTER_OTLP_ENDPOINT)!.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OtlpConfigError(`${variable}: not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OtlpConfigError(`${variable}: must be an http:// or https:// URL, got ${url.protocol}`);
  if (url.username || url.password) throw new OtlpConfigError(`${variable}: put credentials in OTEL_EXPORTER_OTLP_HEADERS, not in the URL`);
  // The signal-specific variable is the full URL; the base one gets the signal path appended.
  if (variable === "OTEL_EXPORTER_OTLP_ENDPOINT") url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/metrics`;
  return url.toString();
}

function protocolOf(env: OtlpEnv): OtlpProtocol {
  const variable = set(env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL) ? "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const value = (env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || "http/protobuf").trim();
  if (value === "http/protobuf" || value === "http/json") return value;
  throw new OtlpConfigError(`${variable}: "${value.slice(0, 40)}" is not supported; use http/protobuf or http/json${value === "grpc" ? " (Workers cannot speak gRPC)" : ""}`);
}

function timeoutOf(env: OtlpEnv): number {
  const variable = set(env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT) ? "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT" : "OTEL_EXPORTER_OTLP_TIMEOUT";
  const raw = env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT || env.OTEL_EXPORTER_OTLP_TIMEOUT;
  if (!set(raw)) return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0 || ms > 60_000) throw new OtlpConfigError(`${variable}: must be whole milliseconds between 1 and 60000, got "${raw.slice(0, 20)}"`);
  return ms;
}

/** The exporter's settings, or null when no endpoint is configured (export off). Throws OtlpConfigError on a bad value. */
export function otlpConfig(env: OtlpEnv): OtlpConfig | null {
  if (!set(env.OTEL_EXPORTER_OTLP_ENDPOINT) && !set(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT)) return null;
  const headers = {
    ...(set(env.OTEL_EXPORTER_OTLP_HEADERS) ? parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS, "OTEL_EXPORTER_OTLP_HEADERS") : {}),
    ...(set(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS) ? parseKeyValueList(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS, "OTEL_EXPORTER_OTLP_METRICS_HEADERS") : {}),
  };
  const attributes = set(env.OTEL_RESOURCE_ATTRIBUTES) ? parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, "OTEL_RESOURCE_ATTRIBUTES") : {};
  // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (spec).
  const resource: Record<string, string> = { "service.name": "vigil", ...attributes };
  if (set(env.OTEL_SERVICE_NAME)) resource["service.name"] = env.OTEL_SERVICE_NAME.trim();
  if (set(env.VIGIL_VERSION) && !resource["service.version"]) resource["service.version"] = env.VIGIL_VERSION;
  return { url: endpointUrl(env), protocol: protocolOf(env), headers, timeoutMs: timeoutOf(env), resource };
}
