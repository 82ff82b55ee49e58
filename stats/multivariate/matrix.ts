// Dense symmetric-matrix algebra for the multivariate drift methods: at most a few hundred
// features, so plain row-major Float64Arrays and textbook algorithms are enough.
//
// - Eigen-decomposition by the cyclic Jacobi method (Golub & Van Loan, "Matrix
//   Computations", 4th ed., §8.5): rotations zero the off-diagonal entries one pair at a
//   time; it converges quadratically and gives orthonormal eigenvectors to machine
//   precision, which is what PCA needs.
// - Cholesky factorisation A = L·Lᵀ (Golub & Van Loan §4.2) for log-determinants and
//   solves with covariance matrices.

/** A square matrix of order n, row-major. */
export interface Square {
  n: number;
  data: Float64Array;
}

export function square(n: number): Square {
  return { n, data: new Float64Array(n * n) };
}

export interface Eigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** Eigenvectors as rows, in the order of `values` (row k is the k-th vector). */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/** Eigenvalues and eigenvectors of a symmetric matrix (only its upper triangle is read). */
export function symmetricEigen(matrix: Square): Eigen {
  const n = matrix.n;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = matrix.data[Math.min(i, j) * n + Math.max(i, j)] as number;
  // v's columns accumulate the rotations: A = V·diag·Vᵀ at the end.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let p = 0; p < n; p++) {
      diagonal += (a[p * n + p] as number) ** 2;
      for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    }
    if (off <= 1e-30 * diagonal || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        // The rotation angle that zeroes a[p][q] (Golub & Van Loan Algorithm 8.5.1, sym.schur2).
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (a[j * n + j] as number) - (a[i * n + i] as number) || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((column, k) => {
    values[k] = a[column * n + column] as number;
    // A fixed sign (largest-magnitude entry positive) makes the vectors comparable across runs and tools.
    let largest = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i * n + column] as number) > Math.abs(largest)) largest = v[i * n + column] as number;
    const sign = largest < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[k * n + i] = sign * (v[i * n + column] as number);
  });
  return { values, vectors };
}

/** The lower Cholesky factor of a symmetric positive definite matrix, or undefined when it is not. */
export function cholesky(matrix: Square): Float64Array | undefined {
  const n = matrix.n;
  const a = matrix.data;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let sum = a[j * n + j] as number;
    for (let k = 0; k < j; k++) sum -= (l[j * n + k] as number) ** 2;
    if (!(sum > 0)) return undefined;
    const diagonal = Math.sqrt(sum);
    l[j * n + j] = diagonal;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / diagonal;
    }
  }
  return l;
}

/** log det A from its Cholesky factor: 2 Σ log L_ii. */
export function logDeterminant(factor: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log(factor[i * n + i] as number);
  return 2 * sum;
}

/** Solves L·y = b in place (forward substitution). */
export function forwardSolve(factor: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (factor[i * n + k] as number) * (b[k] as number);
    b[i] = s / (factor[i * n + i] as number);
  }
}

/** A⁻¹ from the Cholesky factor of A. */
export function inverseFromCholesky(factor: Float64Array, n: number): Square {
  const inverse = square(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    forwardSolve(factor, n, column);
    // Back substitution with Lᵀ.
    for (let i = n - 1; i >= 0; i--) {
      let s = column[i] as number;
      for (let k = i + 1; k < n; k++) s -= (factor[k * n + i] as number) * (column[k] as number);
      column[i] = s / (factor[i * n + i] as number);
    }
    for (let i = 0; i < n; i++) inverse.data[i * n + j] = column[i] as number;
  }
  return inverse;
}
