#!/usr/bin/env python3
"""The numpy/scipy script a user would otherwise write for the batch-drift benchmark: read
both CSV files, then each column's default test the Evidently way (docs/drift-tests.md "Default
test per column", n_ref > 1000): wasserstein_distance / std(ref) for numerical columns with
more than 5 distinct values, else scipy's jensenshannon over the spec's binning (Sturges
histogram when the reference alone has > 20 distinct values, else one bin per distinct value).
pandas is not installed, so the files are read with numpy.loadtxt (numbers, then labels).

Run: python3 scripts/bench/drift-batch/baseline.py ref.csv cur.csv
Prints one JSON object: scores per column, dataset verdict, wall/CPU/read seconds, peak RSS.
"""
import csv
import json
import resource
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def kinds_of(path):
    """Numerical when the first 1000 data rows hold a number in that column."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        numerical = [True] * len(header)
        for i, row in enumerate(reader):
            if i == 1000:
                break
            for j, cell in enumerate(row):
                try:
                    float(cell)
                except ValueError:
                    numerical[j] = False
    return header, numerical


def read(path, header, numerical):
    num_idx = [j for j, n in enumerate(numerical) if n]
    cat_idx = [j for j, n in enumerate(numerical) if not n]
    columns = {}
    if num_idx:
        block = np.loadtxt(path, delimiter=",", skiprows=1, usecols=num_idx, dtype=np.float64, ndmin=2)
        for k, j in enumerate(num_idx):
            column = block[:, k]
            columns[header[j]] = column[np.isfinite(column)]
    if cat_idx:
        block = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cat_idx, dtype=str, ndmin=2)
        for k, j in enumerate(cat_idx):
            columns[header[j]] = block[:, k]
    return columns


def binned(ref, cur):
    """Spec's shared binning, as Evidently's get_binned_data (no zero filling)."""
    if ref.dtype.kind == "f" and len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)
    keys = np.unique(np.concatenate([ref, cur]))
    r = np.searchsorted(keys, ref)
    c = np.searchsorted(keys, cur)
    return np.bincount(r, minlength=len(keys)) / len(ref), np.bincount(c, minlength=len(keys)) / len(cur)


def default_test(ref, cur):
    assert len(ref) > 1000, "this baseline covers n_ref > 1000 only"
    if ref.dtype.kind == "f" and len(np.unique(np.concatenate([ref, cur]))) > 5:
        d = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
        return "wasserstein", float(d), bool(d >= 0.1)
    r, c = binned(ref, cur)
    d = distance.jensenshannon(r, c)
    return "jensenshannon", float(d), bool(d >= 0.1)


def main():
    wall0, cpu0 = time.perf_counter(), time.process_time()
    header, numerical = kinds_of(sys.argv[1])
    reference = read(sys.argv[1], header, numerical)
    current = read(sys.argv[2], header, numerical)
    read_wall = time.perf_counter() - wall0
    read_cpu = time.process_time() - cpu0
    columns = []
    for name in header:
        test, score, drifted = default_test(reference[name], current[name])
        columns.append({"column": name, "test": test, "score": score, "drifted": drifted})
    share = sum(c["drifted"] for c in columns) / len(columns)
    print(json.dumps({
        "columns": columns,
        "share_of_drifted_columns": share,
        "dataset_drift": share >= 0.5,
        "wall_seconds": time.perf_counter() - wall0,
        "cpu_seconds": time.process_time() - cpu0,
        "read_wall_seconds": read_wall,
        "read_cpu_seconds": read_cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
