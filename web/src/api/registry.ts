import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { array, nullable, object, record, str, unknownValue, type Parser } from "./parse.ts";

// The registry contract of workers/routes/models.ts and versions.ts (cursor pages of `{ items, next_cursor }`).

export interface ModelSummary {
  name: string;
  project: string;
  description: string;
  predictionKind: string;
  createdAt: string;
}

export interface VersionSummary {
  model: string;
  version: string;
  stage: string;
  predictionKind: string;
  description: string;
  createdAt: string;
  features: { name: string; kind: string }[];
  links: Record<string, string>;
  activeBaseline: string | null;
  transitions: { from: string | null; to: string; actor: string; note: string; at: string }[];
}

export const parseModel: Parser<ModelSummary> = (v, p) => {
  const o = object({ name: str, project: str, description: str, prediction_kind: str, created_at: str })(v, p);
  return { name: o.name, project: o.project, description: o.description, predictionKind: o.prediction_kind, createdAt: o.created_at };
};

const parseTransition = object({ from: nullable(str), to: str, actor: str, note: str, at: str });

export const parseVersion: Parser<VersionSummary> = (v, p) => {
  const o = object({
    model: str,
    version: str,
    stage: str,
    prediction_kind: str,
    description: str,
    created_at: str,
    feature_schema: array(object({ name: str, kind: str })),
    links: record(str),
    active_baseline: nullable(str),
    transitions: (x, q) => (x === undefined ? [] : array(parseTransition)(x, q)),
  })(v, p);
  return {
    model: o.model,
    version: o.version,
    stage: o.stage,
    predictionKind: o.prediction_kind,
    description: o.description,
    createdAt: o.created_at,
    features: o.feature_schema,
    links: o.links,
    activeBaseline: o.active_baseline,
    transitions: o.transitions,
  };
};

const enc = encodeURIComponent;

/** Every page of a cursor list (the dashboard shows whole registries; 200 per page). */
async function all<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const p: Page<T> = await fetchPage(cursor);
    out.push(...p.items);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return out;
}

const cursorQuery = (cursor: string | null) => (cursor ? `&cursor=${enc(cursor)}` : "");

export function listModels(api: ApiClient, signal?: AbortSignal): Promise<ModelSummary[]> {
  return all((c) => api.get(`/v1/models?limit=200${cursorQuery(c)}`, page(parseModel, "items"), signal));
}

export function listVersions(api: ApiClient, model: string, signal?: AbortSignal): Promise<VersionSummary[]> {
  return all((c) => api.get(`/v1/models/${enc(model)}/versions?limit=200${cursorQuery(c)}`, page(parseVersion, "items"), signal));
}

export function getVersion(api: ApiClient, model: string, version: string, signal?: AbortSignal): Promise<VersionSummary> {
  return api.get(`/v1/models/${enc(model)}/versions/${enc(version)}`, parseVersion, signal);
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
  return api.send("POST", `/v1/models/${enc(model)}/versions`, body, parseVersion);
}

/**
 * Sets a version's baseline from a file, reporting upload progress. A reference profile
 * (`{ "format": "vigil.profile", … }`) goes to the registry's POST …/baselines; a raw
 * dataset (CSV, JSON Lines, JSON array) goes to PUT …/baseline, which profiles it.
 */
export async function uploadBaseline(api: ApiClient, model: string, version: string, file: File, onProgress: (f: number) => void): Promise<unknown> {
  const name = file.name.toLowerCase();
  const path = `/v1/models/${enc(model)}/versions/${enc(version)}`;
  if (name.endsWith(".json")) {
    const profile = await profileIn(file);
    if (profile) {
      const body = new Blob([JSON.stringify({ name: file.name, profile, activate: true })], { type: "application/json" });
      return api.upload("POST", `${path}/baselines`, body, "application/json", unknownValue, onProgress);
    }
  }
  const type = name.endsWith(".csv") ? "text/csv" : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "application/x-ndjson" : "application/json";
  return api.upload("PUT", `${path}/baseline`, file, type, unknownValue, onProgress);
}

async function profileIn(file: File): Promise<Record<string, unknown> | null> {
  // Profiles are small (sketches, not rows); a large JSON file is a dataset.
  if (file.size > 20_000_000) return null;
  try {
    const value: unknown = JSON.parse(await file.text());
    return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).format === "vigil.profile" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
