// computeDrift: clean each requested column, run its default test and any extra tests
// asked for, let the registry judge drift, and summarise the dataset
// (docs/cli.md "Output"). Bad input is a DriftInputError with a
// one-line message; a test that does not apply is reported with its reason.

import { cleanColumn, cleanSize } from "./clean.ts";
import { distinctCombinedUpTo, forgetCounts } from "./distinct.ts";
import { DriftInputError } from "./errors.ts";
import { DRIFT_TESTS, defaultTestId, getTest, isDrifted } from "./registry.ts";
import type { ColumnDriftResult, DriftReport, DriftRequest, DriftTest, NotApplicableResult } from "./types.ts";

export { DriftInputError } from "./errors.ts";

const DEFAULT_DRIFT_SHARE = 0.5;

function extraTests(tests: DriftRequest["tests"]): { list: readonly DriftTest[]; all: boolean } {
  if (tests === undefined) return { list: [], all: false };
  if (tests === "all" || tests.includes("all")) return { list: DRIFT_TESTS, all: true };
  const list: DriftTest[] = [];
  for (const id of tests) {
    const test = getTest(id);
    if (!list.includes(test)) list.push(test);
  }
  return { list, all: false };
}

export function computeDrift(request: DriftRequest): DriftReport {
  const threshold = request.threshold;
  if (threshold !== undefined && !Number.isFinite(threshold)) {
    throw new DriftInputError(`threshold must be a finite number: ${threshold}`);
  }
  const driftShare = request.driftShareThreshold ?? DEFAULT_DRIFT_SHARE;
  const extras = extraTests(request.tests);
  const columns: ColumnDriftResult[] = [];
  const notApplicable: NotApplicableResult[] = [];
  let drifted = 0;

  for (const { name, kind } of request.columns) {
    const refRaw = request.reference.get(name);
    const curRaw = request.current.get(name);
    if (refRaw === undefined) throw new DriftInputError(`column ${JSON.stringify(name)} is missing from reference`);
    if (curRaw === undefined) throw new DriftInputError(`column ${JSON.stringify(name)} is missing from current`);
    const reference = cleanColumn(refRaw, kind, name, "reference");
    const current = cleanColumn(curRaw, kind, name, "current");
    const defaultId = defaultTestId(kind, cleanSize(reference), distinctCombinedUpTo(reference, current, 6));

    const run = (test: DriftTest, isDefault: boolean): void => {
      if (!isDefault && !test.kinds.includes(kind)) {
        notApplicable.push({ column: name, test: test.id, reason: `${test.id} does not support ${kind} columns` });
        return;
      }
      const outcome = test.run(reference, current);
      if (!outcome.applicable) {
        notApplicable.push({ column: name, test: test.id, reason: outcome.reason });
        return;
      }
      const t = threshold ?? test.defaultThreshold;
      const isDrift = isDrifted(test, outcome.score, t);
      if (isDefault && isDrift) drifted++;
      columns.push({
        column: name,
        kind,
        test: test.id,
        score: outcome.score,
        threshold: t,
        drifted: isDrift,
        direction: test.direction,
        default: isDefault,
      });
    };

    run(getTest(defaultId), true);
    for (const test of extras.list) {
      if (test.id === defaultId) continue;
      run(test, false);
    }
    // No later column reads this pair's sorted copies, tie groups or counts: free them now
    // rather than when the datasets go (the memo is keyed by their arrays).
    forgetCounts(reference, current);
  }

  return { columns, not_applicable: notApplicable, dataset: summarize(request.columns.length, drifted, driftShare) };
}

function summarize(n: number, drifted: number, driftShare: number): DriftReport["dataset"] {
  const share = n === 0 ? 0 : drifted / n;
  return {
    number_of_columns: n,
    number_of_drifted_columns: drifted,
    share_of_drifted_columns: share,
    drift_share_threshold: driftShare,
    dataset_drift: n > 0 && share >= driftShare,
  };
}

/**
 * One report from reports on disjoint column sets (e.g. computed in parallel workers),
 * in the order given; the dataset summary is recomputed over all their columns.
 */
export function combineReports(parts: readonly DriftReport[], driftShareThreshold = DEFAULT_DRIFT_SHARE): DriftReport {
  let n = 0;
  let drifted = 0;
  for (const part of parts) {
    n += part.dataset.number_of_columns;
    drifted += part.dataset.number_of_drifted_columns;
  }
  return {
    columns: parts.flatMap((p) => p.columns),
    not_applicable: parts.flatMap((p) => p.not_applicable),
    dataset: summarize(n, drifted, driftShareThreshold),
  };
}
