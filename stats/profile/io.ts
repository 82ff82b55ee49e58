// Reading and writing profiles as JSON text, with errors that name the bad field.

import { KllSketch } from "../sketch/kll.ts";
import { profileSchema } from "./schema.ts";
import type { Profile } from "./schema.ts";

export class ProfileError extends Error {
  override name = "ProfileError";
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out === "" ? "(root)" : out;
}

/**
 * Parses and validates a profile (JSON text or an already-parsed value). Throws
 * ProfileError whose message lists each bad field as `path: problem`, e.g.
 * `features[2].bins.edges[3]: edges must be strictly increasing`.
 */
export function readProfile(input: string | unknown): Profile {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ProfileError(`profile is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value === "object" && value !== null) {
    const header = value as { format?: unknown; version?: unknown };
    if (header.format === "vigil.profile" && typeof header.version === "number" && header.version !== 1) {
      throw new ProfileError(`version: unsupported profile version ${header.version} (this build reads version 1)`);
    }
  }
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new ProfileError(`invalid profile: ${lines.join("; ")}`);
  }
  checkSketches(parsed.data);
  return parsed.data;
}

function checkSketches(profile: Profile): void {
  const features = profile.prediction === null ? profile.features : [...profile.features, profile.prediction];
  features.forEach((feature, i) => {
    if (feature.kind !== "numerical") return;
    const where = i < profile.features.length ? `features[${i}]` : "prediction";
    let sketch: KllSketch;
    try {
      sketch = KllSketch.fromBase64(feature.sketch.base64);
    } catch (error) {
      throw new ProfileError(`invalid profile: ${where}.sketch.base64: ${(error as Error).message}`);
    }
    if (sketch.n !== feature.moments.count) {
      throw new ProfileError(`invalid profile: ${where}.sketch.base64: sketch holds ${sketch.n} values, moments.count is ${feature.moments.count}`);
    }
  });
}

/** The profile as JSON text, keys in schema order (validated first, so a written profile always reads back). */
export function writeProfile(profile: Profile, indent?: number): string {
  const parsed = profileSchema.safeParse(profile);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new ProfileError(`refusing to write an invalid profile: ${lines.join("; ")}`);
  }
  return JSON.stringify(parsed.data, null, indent);
}
