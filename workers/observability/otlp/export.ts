// Sends one ExportMetricsServiceRequest over OTLP/HTTP
// (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST to the metrics URL with
// Content-Type application/x-protobuf or application/json and the configured headers.
// Failures are errors the outbox retries with backoff (durable/monitor/outbox.ts), with
// messages that say what to fix; a collector that refuses the credentials (401/403) is
// named as such, since retrying will not help until the headers are fixed. A 400 means
// the collector cannot parse or accept the data: per the OTLP spec it must not be
// retried, so those rows are dropped (logged) instead of blocking every later row.
// The response's partial_success is not decoded: rejected points are the collector's to report.
import { logError } from "../../security/log-safe.ts";
import type { OtlpConfig } from "./config.ts";
import { encodeMetricsRequest } from "./protobuf.ts";
import type { ExportMetricsServiceRequest } from "./request.ts";

export const CONTENT_TYPE = { "http/protobuf": "application/x-protobuf", "http/json": "application/json" } as const;

export class OtlpExportError extends Error {
  override name = "OtlpExportError";
  readonly status: number | null;
  constructor(message: string, status: number | null) {
    super(message);
    this.status = status;
  }
}

/** Why a collector answered `status`, in words an operator can act on. */
export function describeStatus(status: number, statusText: string): string {
  const answered = `OTLP collector answered ${status}${statusText ? ` ${statusText}` : ""}`;
  if (status === 401 || status === 403) return `${answered}: it refused the credentials; check OTEL_EXPORTER_OTLP_HEADERS`;
  if (status === 404) return `${answered}: no OTLP metrics receiver at this URL; check OTEL_EXPORTER_OTLP_ENDPOINT (metrics go to <endpoint>/v1/metrics)`;
  if (status === 415) return `${answered}: it does not take this encoding; check OTEL_EXPORTER_OTLP_PROTOCOL`;
  if (status === 429 || status >= 500) return `${answered}: it is overloaded or down; retrying with backoff`;
  return answered;
}

export function encodeBody(config: OtlpConfig, request: ExportMetricsServiceRequest): Uint8Array<ArrayBuffer> | string {
  return config.protocol === "http/protobuf" ? encodeMetricsRequest(request) : JSON.stringify(request);
}

/** POSTs the request; resolves when the collector took it (or refused it for good with 400), throws OtlpExportError otherwise. */
export async function exportMetrics(config: OtlpConfig, request: ExportMetricsServiceRequest): Promise<void> {
  let res: Response;
  try {
    res = await fetch(config.url, {
      method: "POST",
      headers: { ...config.headers, "content-type": CONTENT_TYPE[config.protocol] },
      body: encodeBody(config, request),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (error) {
    const why = (error as Error).name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : "unreachable";
    throw new OtlpExportError(`OTLP collector is ${why}: ${(error as Error).message.slice(0, 200)}`, null);
  }
  await res.body?.cancel();
  if (res.ok) return;
  const message = describeStatus(res.status, res.statusText);
  if (res.status === 400) {
    logError("otlp export dropped", new Error(message));
    return;
  }
  throw new OtlpExportError(message, res.status);
}
