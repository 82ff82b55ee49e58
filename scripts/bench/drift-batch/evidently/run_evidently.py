#!/usr/bin/python3
"""Evidently's legacy stat tests, unchanged, on a reference/current CSV pair: the other
side of `vigil drift` in scripts/bench/drift-batch/run.ts (issue #22).

    /usr/bin/python3 run_evidently.py REFERENCE.csv CURRENT.csv [--test all]

Run with Debian's python3 (python3-pandas, python3-scipy). vendor/ holds Evidently's
src/evidently/legacy/calculations/stattests/ copied byte for byte from
github.com/evidentlyai/evidently at a4aa4c2b37fe7a4344cc5031f566deccf3d69e4f (Apache-2.0,
LICENSE-evidently), plus stubs, marked as such, for the modules those files import but do
not compute with (README.md lists them).

Per column this does what Evidently's column drift step does before it calls a test: it
replaces ±inf with NaN and drops NaN, types a numeric pandas dtype as numerical and
anything else as categorical, picks the default test with the registry's own
get_stattest(..., None) (or every Vigil test the registry allows for the type with
--test all), and calls it with its default threshold. Prints JSON with the scores and how
long reading took.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))

from evidently.legacy.calculations.stattests import get_stattest  # noqa: E402
from evidently.legacy.calculations.stattests.registry import _registered_stat_tests  # noqa: E402
from evidently.legacy.core import ColumnType  # noqa: E402

# The tests `vigil drift --test all` runs (stats/drift/registry.ts), by Evidently name,
# except TVD: Evidently's TVD p-value is a 1,000-round permutation test that rebuilds a
# Python list and two Counters of all 2M values each round (utils.permutation_test), which
# at a million rows per side is hours per categorical column, so it is left out of both
# sides' comparison (run.ts compares only the tests both ran).
VIGIL_TESTS = ["anderson", "chisquare", "cramer_von_mises", "ed", "es", "fisher_exact", "g_test",
               "hellinger", "jensenshannon", "kl_div", "ks", "mannw", "psi", "t_test",
               "wasserstein", "z"]


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    reference_path, current_path = sys.argv[1], sys.argv[2]
    run_all = "--test" in sys.argv and sys.argv[sys.argv.index("--test") + 1] == "all"
    wall0, cpu0 = time.perf_counter(), cpu_seconds()
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    read_wall, read_cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    columns = []
    not_applicable = []
    for name in reference.columns:
        ref = reference[name].replace([-np.inf, np.inf], np.nan).dropna()
        cur = current[name].replace([-np.inf, np.inf], np.nan).dropna()
        kind = ColumnType.Numerical if pd.api.types.is_numeric_dtype(reference[name]) else ColumnType.Categorical
        default = get_stattest(ref, cur, kind, None)
        if run_all:
            tests = [get_stattest(ref, cur, kind, t) for t in VIGIL_TESTS if kind in _registered_stat_tests.get(t, {})]
        else:
            tests = [default]
        for test in tests:
            try:
                result = test(ref, cur, kind, None)
            except ValueError as error:
                # e.g. fisher_exact and z on more than two categories: Vigil reports these
                # as "not applicable" rows, Evidently raises; the time to raise is counted.
                not_applicable.append({"column": name, "test": test.name, "reason": str(error)})
                continue
            columns.append({"column": name, "test": test.name, "score": float(result.drift_score),
                            "drifted": bool(result.drifted), "default": test.name == default.name})
    print(json.dumps({"columns": columns, "not_applicable": not_applicable,
                      "read_wall_seconds": read_wall, "read_cpu_seconds": read_cpu,
                      "total_wall_seconds": time.perf_counter() - wall0}))


if __name__ == "__main__":
    main()
