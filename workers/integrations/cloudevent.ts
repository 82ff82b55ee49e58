// Reads the CloudEvents (v1.0, HTTP protocol binding) that inference payload loggers post:
//   binary mode      attributes in `ce-*` headers, the event data as the body (KServe's
//                    logger and Seldon Core's executor both send this way)
//   structured mode  `Content-Type: application/cloudevents+json`, one JSON object holding
//                    the attributes and `data` (or `data_base64`)
//   batched mode     `application/cloudevents-batch+json`, an array of structured events
// Only the inference types are accepted, KServe's and Seldon's: a request carries the
// features, a response the predictions. The two halves of one inference share an id:
// Seldon's `requestid` extension when present (its request and response have different
// `ce-id`s), else `id` (KServe gives both halves the same one).
import { ApiError } from "../errors.ts";
import type { HalfKind } from "../../durable/monitor/cloudevent-pairs.ts";

export const INFERENCE_TYPES: Record<string, HalfKind> = {
  "org.kubeflow.serving.inference.request": "request",
  "org.kubeflow.serving.inference.response": "response",
  "io.seldon.serving.inference.request": "request",
  "io.seldon.serving.inference.response": "response",
};

export interface InferenceEvent {
  /** The event's id (`ce-id`). */
  id: string;
  /** What pairs the request and response: Seldon's requestid, else the id. */
  pairId: string;
  kind: HalfKind;
  /** `ce-time` in Unix ms, or null when the event has none. */
  time: number | null;
  /** `inferenceservicename` (KServe InferenceService, Seldon deployment). */
  service: string | null;
  /** `endpoint` (KServe: default or canary; Seldon: the predictor). */
  endpoint: string | null;
  data: unknown;
}

const MAX_ID = 256;

function bad(field: string, error: string): never {
  throw new ApiError(400, "invalid_cloudevent", `${field}: ${error}`, [{ field, error }]);
}

function attribute(value: unknown, field: string, required: boolean): string | null {
  if (value === undefined || value === null || value === "") {
    if (required) bad(field, "required");
    return null;
  }
  if (typeof value !== "string" || value.length > MAX_ID) bad(field, `expected a string of at most ${MAX_ID} characters`);
  return value;
}

function eventTime(value: string | null, field: string): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : bad(field, `not an RFC 3339 time: ${JSON.stringify(value.slice(0, 40))}`);
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return bad(field, `not valid JSON: ${(error as Error).message}`);
  }
}

const isJsonType = (type: string | null) => type === null || /^application\/(?:[\w.+-]+\+)?json\b/i.test(type.split(";")[0]!.trim());

function inferenceEvent(get: (name: string) => unknown, prefix: string, data: () => unknown): InferenceEvent {
  const spec = attribute(get("specversion"), `${prefix}specversion`, true)!;
  if (!/^(1\.0|0\.3)$/.test(spec)) bad(`${prefix}specversion`, `CloudEvents ${spec} is not supported; send 1.0`);
  const id = attribute(get("id"), `${prefix}id`, true)!;
  const type = attribute(get("type"), `${prefix}type`, true)!;
  const kind = INFERENCE_TYPES[type];
  if (!kind) bad(`${prefix}type`, `"${type}" is not an inference request or response; accepted: ${Object.keys(INFERENCE_TYPES).join(", ")}`);
  const requestId = attribute(get("requestid"), `${prefix}requestid`, false);
  return {
    id,
    pairId: requestId ?? id,
    kind,
    time: eventTime(attribute(get("time"), `${prefix}time`, false), `${prefix}time`),
    service: attribute(get("inferenceservicename"), `${prefix}inferenceservicename`, false),
    endpoint: attribute(get("endpoint"), `${prefix}endpoint`, false),
    data: data(),
  };
}

function structured(event: unknown, field: string): InferenceEvent {
  if (typeof event !== "object" || event === null || Array.isArray(event)) bad(field, "expected a CloudEvent object");
  const e = event as Record<string, unknown>;
  const prefix = field === "body" ? "" : `${field}.`;
  return inferenceEvent((name) => e[name], prefix, () => {
    const contentType = typeof e.datacontenttype === "string" ? e.datacontenttype : null;
    if (!isJsonType(contentType)) bad(`${prefix}datacontenttype`, `"${contentType}" is not JSON; inference payloads are JSON`);
    if (typeof e.data_base64 === "string") {
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(e.data_base64), (ch) => ch.charCodeAt(0)));
      } catch {
        return bad(`${prefix}data_base64`, "not base64-encoded UTF-8");
      }
      return parseJson(text, `${prefix}data_base64`);
    }
    if (e.data === undefined) bad(`${prefix}data`, "required");
    return typeof e.data === "string" ? parseJson(e.data, `${prefix}data`) : e.data;
  });
}

/** The inference events of one HTTP request (several only in batched mode). */
export function parseCloudEvents(headers: Headers, body: string): InferenceEvent[] {
  const contentType = headers.get("content-type");
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (headers.has("ce-specversion")) {
    if (!isJsonType(contentType)) throw new ApiError(415, "unsupported_media_type", `Content-Type "${mediaType}" is not JSON; inference payloads are JSON`);
    return [inferenceEvent((name) => headers.get(`ce-${name}`) ?? undefined, "ce-", () => parseJson(body, "body"))];
  }
  if (mediaType === "application/cloudevents+json") return [structured(parseJson(body, "body"), "body")];
  if (mediaType === "application/cloudevents-batch+json") {
    const events = parseJson(body, "body");
    if (!Array.isArray(events)) bad("body", "a batch must be a JSON array of CloudEvents");
    if (events.length === 0) bad("body", "empty batch");
    return events.map((e, i) => structured(e, `[${i}]`));
  }
  throw new ApiError(
    415,
    "unsupported_media_type",
    "not a CloudEvent: send binary mode (ce-specversion, ce-id, ce-type headers and the payload as the body), or application/cloudevents+json, or application/cloudevents-batch+json",
  );
}
