import { describe, expect, it } from "vitest";
import { inferFeatureSchema } from "./infer-schema.ts";

describe("inferFeatureSchema", () => {
  it("takes numbers as numerical, booleans and text as categorical, and arrays of numbers of one length as an embedding", () => {
    const items = [
      { features: { age: 31, member: true, city: "Lyon", vec: [0.1, -0.2, 0.3] } },
      { features: { age: 40.5, member: false, city: "Oslo", vec: [1, 2, 3] } },
    ];
    expect(inferFeatureSchema(items)).toEqual([
      { name: "age", kind: "numerical", dtype: "float" },
      { name: "member", kind: "categorical", dtype: "bool" },
      { name: "city", kind: "categorical", dtype: "string" },
      { name: "vec", kind: "embedding", dtype: "float", dimension: 3 },
    ]);
  });

  it("leaves out arrays it cannot monitor: mixed lengths, non-numbers, empty", () => {
    const items = [
      { features: { ragged: [1, 2], words: ["a"], empty: [], mixed: [1] } },
      { features: { ragged: [1, 2, 3], words: ["b"], empty: [], mixed: 5 } },
    ];
    expect(inferFeatureSchema(items)).toEqual([]);
  });
});
