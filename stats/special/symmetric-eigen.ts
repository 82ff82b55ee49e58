// Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method
// (Golub & Van Loan, "Matrix Computations", 4th ed., §8.5), and the Moore-Penrose
// pseudo-inverse built from it. For a symmetric matrix the singular values are |λ|, so
// this matches numpy.linalg.pinv's SVD-based cutoff: σ ≤ rcond·σ_max are dropped.

/** Returns eigenvalues and eigenvectors (columns of vectors, row-major n×n). */
export function jacobiEigen(a: readonly number[], n: number): { values: number[]; vectors: number[] } {
  const A = a.slice();
  const V = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    let newOff = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) newOff += A[p * n + q]! ** 2;
    if (!(newOff < off)) break;
  }
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(A[i * n + i]!);
  return { values, vectors: V };
}

/**
 * Pseudo-inverse of a symmetric matrix and its rank: singular values > rcond·max are kept,
 * and at most maxRank of them (the largest) when the caller knows the rank is structurally
 * lower, so that rounding noise in the null space is never inverted.
 */
export function symmetricPinv(
  a: readonly number[],
  n: number,
  rcond: number,
  maxRank: number = n,
): { inverse: number[]; rank: number } {
  const { values, vectors } = jacobiEigen(a, n);
  const maxSv = Math.max(...values.map(Math.abs));
  const cutoff = rcond * maxSv;
  const order = values.map((_, i) => i).sort((i, j) => Math.abs(values[j]!) - Math.abs(values[i]!));
  const inv = new Array<number>(n * n).fill(0);
  let rank = 0;
  for (const e of order) {
    const lambda = values[e]!;
    if (!(Math.abs(lambda) > cutoff) || rank >= maxRank) continue;
    rank++;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) inv[i * n + j] = inv[i * n + j]! + (vectors[i * n + e]! * vectors[j * n + e]!) / lambda;
    }
  }
  return { inverse: inv, rank };
}
