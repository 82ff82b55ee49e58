#!/usr/bin/env python3
"""Reference point for scripts/bench/drift.bench.ts: the same default-test computation
(Evidently legacy formulas) in numpy/scipy on data of the same shape.
Run: python3 scripts/bench/drift_reference.py [rows=100000] [numerical=80] [categorical=20]
"""
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
numerical = int(sys.argv[2]) if len(sys.argv) > 2 else 80
categorical = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = np.random.default_rng(0)
num = [(np.round(rng.normal(size=rows), 4), np.round(rng.normal(0.1 if i % 5 == 0 else 0, size=rows), 4)) for i in range(numerical)]
cat = [(np.array([f"label_{int(10 * u)}" for u in rng.random(rows)], dtype=object),
        np.array([f"label_{int(10 * u ** (1.2 if i % 4 == 0 else 1))}" for u in rng.random(rows)], dtype=object)) for i in range(categorical)]

t0 = time.process_time()
w0 = time.perf_counter()
drifted = 0
for ref, cur in num:  # n_ref > 1000, u > 5: wasserstein
    ref, cur = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
    nunique = len(np.unique(np.concatenate([ref, cur])))
    d = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    drifted += d >= 0.1
for ref, cur in cat:  # jensenshannon over distinct-value bins
    keys, counts = np.unique(np.concatenate([ref, cur]), return_counts=True)
    rk, rc = np.unique(ref, return_counts=True)
    ck, cc = np.unique(cur, return_counts=True)
    r = np.array([dict(zip(rk, rc)).get(k, 0) for k in keys]) / len(ref)
    c = np.array([dict(zip(ck, cc)).get(k, 0) for k in keys]) / len(cur)
    drifted += distance.jensenshannon(r, c) >= 0.1
print(f"numpy/scipy default tests: wall {time.perf_counter() - w0:.2f} s, cpu {time.process_time() - t0:.2f} s, {drifted} drifted")
