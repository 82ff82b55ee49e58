import type { ApiClient } from "./client.ts";
import { page, type Page } from "./list.ts";
import { isMissingRoute } from "./errors.ts";
import { array, nullable, object, optional, record, str, unknownValue, withDefault, type Parser } from "./parse.ts";

// The registry contract of workers/routes/models.ts and versions.ts (cursor pages of `{ items, next_cursor }`).

export interface ModelSummary {
  name: string;
  project: string;
  description: string;
  predictionKind: string;
  createdAt: string;
}

export interface VersionSummary {
  /** The registry id (signatures name their target by it); "" from a server that does not send it. */
  id: string;
  model: string;
  version: string;
  stage: string;
  predictionKind: string;
  description: string;
  createdAt: string;
  /** `pii`: the schema's PII tag (e.g. "email"); such a feature leaves the Worker only as a pseudonym or inside sketches. */
  features: { name: string; kind: string; pii?: string }[];
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
    id: withDefault(str, ""),
    model: str,
    version: str,
    stage: str,
    prediction_kind: str,
    description: str,
    created_at: str,
    feature_schema: array(object({ name: str, kind: str, pii: optional(str) })),
    links: record(str),
    active_baseline: nullable(str),
    transitions: (x, q) => (x === undefined ? [] : array(parseTransition)(x, q)),
  })(v, p);
  return {
    id: o.id,
    model: o.model,
    version: o.version,
    stage: o.stage,
    predictionKind: o.prediction_kind,
    description: o.description,
    createdAt: o.created_at,
    features: o.feature_schema.map((f) => (f.pii === undefined ? { name: f.name, kind: f.kind } : { name: f.name, kind: f.kind, pii: f.pii })),
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
 * A reference dataset (CSV with a header, JSON Lines or a JSON array) goes to the monitor's
 * PUT …/baseline as the raw file with its content type; the server parses and profiles it
 * (and names a bad row). A `vigil.profile` JSON goes as `{ profile }`, and on a server
 * without that route it is stored in the registry instead (POST …/baselines).
 */
export async function uploadBaseline(api: ApiClient, model: string, version: string, file: File, onProgress: (f: number) => void): Promise<"monitor" | "registry"> {
  const path = `/v1/models/${enc(model)}/versions/${enc(version)}`;
  const note = `?note=${enc(`uploaded from ${file.name}`)}`;
  const type = await datasetType(file);
  if (type) {
    await api.upload("PUT", `${path}/baseline${note}`, file, type, unknownValue, onProgress);
    return "monitor";
  }
  const text = await file.text();
  const profile = profileIn(text);
  // Not a profile: an object per line (JSON Lines), which the server parses and reports on.
  if (!profile) {
    await api.upload("PUT", `${path}/baseline${note}`, file, "application/x-ndjson", unknownValue, onProgress);
    return "monitor";
  }
  const blob = (v: unknown) => new Blob([JSON.stringify(v)], { type: "application/json" });
  try {
    await api.upload("PUT", `${path}/baseline`, blob({ profile }), "application/json", unknownValue, onProgress);
    return "monitor";
  } catch (err) {
    if (!isMissingRoute(err)) throw err;
    await api.upload("POST", `${path}/baselines`, blob({ name: file.name, profile, activate: true }), "application/json", unknownValue, onProgress);
    return "registry";
  }
}

/**
 * The content type of a file sent as it is: CSV by its name, JSON Lines by its name, a JSON
 * array by its first character. Null for a file starting with `{` under another name: a
 * profile, or JSON Lines (read whole to tell).
 */
async function datasetType(file: File): Promise<string | null> {
  const name = file.name.toLowerCase();
  if (name.endsWith(".csv")) return "text/csv";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "application/x-ndjson";
  const head = (await file.slice(0, 1024).text()).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("[")) return "application/json";
  return head.startsWith("{") ? null : "text/csv";
}

function profileIn(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).format === "vigil.profile" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
