import { describe, expect, it } from "vitest";
import { embeddingFeatures, FeatureSchema, MAX_EMBEDDING_FEATURES, scalarFeatures } from "./feature-schema.ts";

const issues = (schema: unknown) => {
  const parsed = FeatureSchema.safeParse(schema);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("embedding features in a schema", () => {
  it("accepts a float vector with a dimension and splits it from the scalar features", () => {
    const schema = [
      { name: "age", kind: "numerical", dtype: "float" },
      { name: "text", kind: "embedding", dtype: "float", dimension: 768 },
    ];
    expect(issues(schema)).toEqual([]);
    const parsed = FeatureSchema.parse(schema);
    expect(scalarFeatures(parsed).map((f) => f.name)).toEqual(["age"]);
    expect(embeddingFeatures(parsed)).toEqual([{ name: "text", kind: "embedding", dtype: "float", dimension: 768 }]);
  });

  it("names what is wrong: no dimension, a dimension out of range or on another kind, a non-float dtype, a pii tag", () => {
    expect(issues([{ name: "e", kind: "embedding", dtype: "float" }])).toEqual(["0.dimension: is required for an embedding feature"]);
    expect(issues([{ name: "e", kind: "embedding", dtype: "float", dimension: 4097 }])).toEqual(["0.dimension: must be at most 4096"]);
    expect(issues([{ name: "e", kind: "embedding", dtype: "float", dimension: 0 }])).toEqual(["0.dimension: must be at least 1"]);
    expect(issues([{ name: "e", kind: "embedding", dtype: "string", dimension: 8 }])).toEqual(['0.dtype: an embedding feature\'s dtype is "float"']);
    expect(issues([{ name: "n", kind: "numerical", dtype: "float", dimension: 8 }])).toEqual(["0.dimension: only embedding features have a dimension"]);
    expect(issues([{ name: "e", kind: "embedding", dtype: "float", dimension: 8, pii: "text" }])).toEqual([
      "0.pii: an embedding feature cannot be tagged pii (it cannot be pseudonymised; leave it out)",
    ]);
  });

  it(`allows at most ${MAX_EMBEDDING_FEATURES} embedding features per version`, () => {
    const schema = Array.from({ length: MAX_EMBEDDING_FEATURES + 1 }, (_, i) => ({ name: `e${i}`, kind: "embedding", dtype: "float", dimension: 4 }));
    expect(issues(schema)).toEqual([`${MAX_EMBEDDING_FEATURES}.kind: at most ${MAX_EMBEDDING_FEATURES} embedding features per version`]);
  });
});
