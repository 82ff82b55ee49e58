import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, object, optional, str, unknownValue, withDefault, type Parser } from "./parse.ts";

export interface ModelSummary {
  name: string;
  project: string;
  description: string;
  predictionKind: string;
  createdAt: string | undefined;
}

export interface VersionSummary {
  model: string;
  version: string;
  stage: string;
  description: string;
  createdAt: string | undefined;
  features: { name: string; kind: string }[];
  links: Record<string, string>;
  baseline: unknown;
}

const feature = (v: unknown, p?: string) => {
  const o = object({ name: str, kind: withDefault(str, "unknown") })(v, p);
  return o;
};

export const parseModel: Parser<ModelSummary> = (v, p) => {
  const o = object({
    name: str,
    project: withDefault((x, q) => (typeof x === "object" && x !== null ? str((x as Record<string, unknown>).slug, q) : str(x, q)), "default"),
    description: withDefault(str, ""),
    prediction_kind: withDefault(str, ""),
    created_at: optional(str),
  })(v, p);
  return { name: o.name, project: o.project, description: o.description, predictionKind: o.prediction_kind, createdAt: o.created_at };
};

export function parseVersion(model: string): Parser<VersionSummary> {
  return (v, p) => {
    const o = object({
      version: str,
      stage: withDefault(str, "development"),
      description: withDefault(str, ""),
      created_at: optional(str),
      feature_schema: withDefault(array(feature), []),
      links: withDefault((x) => (typeof x === "object" && x !== null ? (x as Record<string, string>) : {}), {}),
      baseline: optional(unknownValue),
    })(v, p);
    return {
      model,
      version: o.version,
      stage: o.stage,
      description: o.description,
      createdAt: o.created_at,
      features: o.feature_schema,
      links: o.links,
      baseline: o.baseline ?? null,
    };
  };
}

const enc = encodeURIComponent;

export function listModels(api: ApiClient, signal?: AbortSignal): Promise<Page<ModelSummary>> {
  return api.get("/v1/models?limit=200", page(parseModel), signal);
}

export function listVersions(api: ApiClient, model: string, signal?: AbortSignal): Promise<Page<VersionSummary>> {
  return api.get(`/v1/models/${enc(model)}/versions?limit=200`, page(parseVersion(model)), signal);
}

export function getVersion(api: ApiClient, model: string, version: string, signal?: AbortSignal): Promise<VersionSummary> {
  return api.get(`/v1/models/${enc(model)}/versions/${enc(version)}`, parseVersion(model), signal);
}

export interface NewModel {
  name: string;
  prediction_kind: string;
  description?: string;
  project?: string;
}

export function createModel(api: ApiClient, body: NewModel): Promise<ModelSummary> {
  return api.send("POST", "/v1/models", body, parseModel);
}

export function createVersion(api: ApiClient, model: string, body: { version: string; stage?: string; description?: string }): Promise<VersionSummary> {
  return api.send("POST", `/v1/models/${enc(model)}/versions`, body, parseVersion(model));
}

export function uploadBaseline(api: ApiClient, model: string, version: string, file: File, onProgress: (f: number) => void): Promise<unknown> {
  const type = file.name.endsWith(".csv") ? "text/csv" : file.name.endsWith(".jsonl") || file.name.endsWith(".ndjson") ? "application/x-ndjson" : "application/json";
  return api.upload("PUT", `/v1/models/${enc(model)}/versions/${enc(version)}/baseline`, file, type, unknownValue, onProgress);
}
