import { describe, expect, it } from "vitest";
import { cholesky, inverseFromCholesky, logDeterminant, square, symmetricEigen } from "./matrix.ts";

function randomSymmetric(n: number, seed: number): ReturnType<typeof square> {
  // B·Bᵀ + n·I: symmetric positive definite, with distinct eigenvalues almost surely.
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const b = Array.from({ length: n * n }, next);
  const a = square(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
    a.data[i * n + j] = s;
  }
  return a;
}

describe("symmetricEigen", () => {
  it("gives orthonormal vectors and descending values that rebuild the matrix", () => {
    const n = 7;
    const a = randomSymmetric(n, 42);
    const { values, vectors } = symmetricEigen(a);
    for (let k = 1; k < n; k++) expect(values[k - 1]).toBeGreaterThanOrEqual(values[k] as number);
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (vectors[p * n + i] as number) * (vectors[q * n + i] as number);
      expect(dot).toBeCloseTo(p === q ? 1 : 0, 12);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (values[k] as number) * (vectors[k * n + i] as number) * (vectors[k * n + j] as number);
      expect(s).toBeCloseTo(a.data[i * n + j] as number, 10);
    }
  });

  it("knows a 2 x 2 case by hand: [[2, 1], [1, 2]] has 3 along (1, 1) and 1 along (1, -1)", () => {
    const { values, vectors } = symmetricEigen({ n: 2, data: Float64Array.of(2, 1, 1, 2) });
    expect([...values]).toEqual([expect.closeTo(3, 14), expect.closeTo(1, 14)]);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[0] as number) * (vectors[1] as number)).toBeGreaterThan(0);
    expect((vectors[2] as number) * (vectors[3] as number)).toBeLessThan(0);
  });
});

describe("cholesky", () => {
  it("inverts and takes the log-determinant of a positive definite matrix", () => {
    const n = 6;
    const a = randomSymmetric(n, 7);
    const factor = cholesky(a)!;
    const inverse = inverseFromCholesky(factor, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (a.data[i * n + k] as number) * (inverse.data[k * n + j] as number);
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
    const { values } = symmetricEigen(a);
    expect(logDeterminant(factor, n)).toBeCloseTo([...values].reduce((sum, value) => sum + Math.log(value), 0), 10);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(cholesky({ n: 2, data: Float64Array.of(1, 2, 2, 1) })).toBeUndefined();
  });
});
