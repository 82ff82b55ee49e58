import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { isMissingRoute } from "./errors.ts";
import { readRows } from "./dataset.ts";
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
 * Sets the baseline a version is scored against, from a file, reporting upload progress.
 * The monitor's PUT …/baseline takes `{ profile }` (a `vigil.profile` JSON) or `{ rows }`
 * (a reference dataset: CSV with a header, JSON Lines or a JSON array, read here). On a
 * server without that route, a profile is stored in the registry (POST …/baselines).
 */
export async function uploadBaseline(api: ApiClient, model: string, version: string, file: File, onProgress: (f: number) => void): Promise<"monitor" | "registry"> {
  const path = `/v1/models/${enc(model)}/versions/${enc(version)}`;
  const text = await file.text();
  const profile = profileIn(text);
  const body = profile ? { profile } : { rows: readRows(text, file.name) };
  const blob = (v: unknown) => new Blob([JSON.stringify(v)], { type: "application/json" });
  try {
    await api.upload("PUT", `${path}/baseline`, blob(body), "application/json", unknownValue, onProgress);
    return "monitor";
  } catch (err) {
    if (!profile || !isMissingRoute(err)) throw err;
    await api.upload("POST", `${path}/baselines`, blob({ name: file.name, profile, activate: true }), "application/json", unknownValue, onProgress);
    return "registry";
  }
}

function profileIn(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).format === "vigil.profile" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
