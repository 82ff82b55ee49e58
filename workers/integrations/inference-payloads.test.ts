import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.ts";
import { requestFeatures, responsePredictions } from "./inference-payloads.ts";

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("requestFeatures", () => {
  it("V1 instances: arrays become f0..fn (or the given names), objects keep their keys", () => {
    expect(requestFeatures({ instances: [[6.8, 2.8], [6.0, 3.4]] })).toEqual([{ f0: 6.8, f1: 2.8 }, { f0: 6.0, f1: 3.4 }]);
    expect(requestFeatures({ instances: [[6.8, 2.8]] }, { featureNames: ["sl", "sw"] })).toEqual([{ sl: 6.8, sw: 2.8 }]);
    expect(requestFeatures({ instances: [{ age: 41, region: "north" }] })).toEqual([{ age: 41, region: "north" }]);
  });

  it("V2: one [N, k] tensor, nested or flat, gives N rows; one tensor per column gives named features", () => {
    const nested = { inputs: [{ name: "input-0", shape: [2, 2], datatype: "FP32", data: [[1, 2], [3, 4]] }] };
    const flat = { inputs: [{ name: "input-0", shape: [2, 2], datatype: "FP32", data: [1, 2, 3, 4] }] };
    expect(requestFeatures(nested)).toEqual([{ f0: 1, f1: 2 }, { f0: 3, f1: 4 }]);
    expect(requestFeatures(flat)).toEqual(requestFeatures(nested));
    const columns = {
      inputs: [
        { name: "age", shape: [2], datatype: "INT64", data: [41, 29] },
        { name: "region", shape: [2, 1], datatype: "BYTES", data: ["north", "east"] },
      ],
    };
    expect(requestFeatures(columns)).toEqual([{ age: 41, region: "north" }, { age: 29, region: "east" }]);
  });

  it("Seldon: names and a 2-D ndarray, a 1-D ndarray as one row, or a tensor", () => {
    expect(requestFeatures({ data: { names: ["a", "b"], ndarray: [[1, 2], [3, 4]] } })).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    expect(requestFeatures({ data: { names: ["f0", "f1"], ndarray: [0.77, 0.63] } })).toEqual([{ f0: 0.77, f1: 0.63 }]);
    expect(requestFeatures({ data: { tensor: { shape: [1, 2], values: [5, 6] } } })).toEqual([{ f0: 5, f1: 6 }]);
  });

  it("refuses what it cannot map, naming the field", () => {
    expect(refusal(() => requestFeatures({ inputs: [{ name: "x", shape: [2, 3], data: [1, 2, 3] }] }))).toMatchObject({
      status: 422, code: "unmappable_payload", message: "inputs[0].data: 3 values do not fill shape [2, 3]",
    });
    expect(refusal(() => requestFeatures({ instances: [[[1, 2], [3, 4]]] })).message).toMatch(/^instances\[0\]: a nested instance/);
    expect(refusal(() => requestFeatures({ prompt: "hi" })).message).toMatch(/neither `instances` \(V1\), `inputs` \(V2\) nor `data` \(Seldon\)/);
  });
});

describe("responsePredictions", () => {
  it("V1 scalars, class-probability vectors (argmax with every class's score) and objects", () => {
    expect(responsePredictions({ predictions: [1, 0] }, 2)).toEqual([{ prediction: 1 }, { prediction: 0 }]);
    expect(responsePredictions({ predictions: [[0.1, 0.7, 0.2]] }, 1)).toEqual([{ prediction: 1, score: { "0": 0.1, "1": 0.7, "2": 0.2 } }]);
    expect(responsePredictions({ predictions: [{ label: "cat", score: 0.9 }] }, 1)).toEqual([{ prediction: "cat", score: 0.9 }]);
  });

  it("V2: the first output, or the one named", () => {
    const res = { outputs: [{ name: "predict", shape: [2], data: [1, 2] }, { name: "proba", shape: [2, 2], data: [0.2, 0.8, 0.6, 0.4] }] };
    expect(responsePredictions(res, 2)).toEqual([{ prediction: 1 }, { prediction: 2 }]);
    expect(responsePredictions(res, 2, { output: "proba" })).toEqual([{ prediction: 1, score: { "0": 0.2, "1": 0.8 } }, { prediction: 0, score: { "0": 0.6, "1": 0.4 } }]);
    expect(refusal(() => responsePredictions(res, 2, { output: "nope" })).message).toBe('outputs: no output named "nope" (outputs: predict, proba)');
  });

  it("Seldon: a 1-D ndarray is one row when the request had one, class names label probabilities", () => {
    expect(responsePredictions({ data: { names: ["proba"], ndarray: [0.098] } }, 1)).toEqual([{ prediction: 0.098 }]);
    expect(responsePredictions({ data: { names: ["no", "yes"], ndarray: [[0.3, 0.7]] } }, 1)).toEqual([{ prediction: "yes", score: { no: 0.3, yes: 0.7 } }]);
    expect(responsePredictions({ data: { ndarray: [1, 0, 1] } }, 3)).toEqual([{ prediction: 1 }, { prediction: 0 }, { prediction: 1 }]);
  });

  it("refuses a vector that is not class probabilities", () => {
    expect(refusal(() => responsePredictions({ predictions: [[3.2, 7.5]] }, 1)).message).toMatch(/^predictions\[0\]: a vector that is not class probabilities/);
  });
});
