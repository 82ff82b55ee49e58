// The live multivariate scores (docs/ml-drift.md): a domain classifier and a PCA
// reconstruction error between the baseline's row sample and the most recent rows
// (joint-rows.ts), recomputed at most every JOINT_EVERY_MS while rows arrive. Rows are
// not mergeable state, so each object keeps its own (a sharded version's coordinator
// scores its own share, a uniform sample of the traffic).
import { multivariateDrift } from "../../stats/multivariate/multivariate.ts";
import { MultivariateInputError } from "../../stats/multivariate/rows.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import type { MultivariateView } from "../protocol.ts";
import type { FeatureSpec } from "./calls.ts";
import type { EventColumns } from "./event-columns.ts";
import { type JointColumns, jointRowCount, JOINT_ROWS, RecentRows } from "./joint-rows.ts";
import type { MonitorStore } from "./storage.ts";

/** The multivariate scores are recomputed at most this often, while traffic flows. */
export const JOINT_EVERY_MS = 30_000;
/** Rows each side needs before the multivariate scores mean anything. */
export const JOINT_MIN_ROWS = 200;
/**
 * The live scores keep their cost bounded (one recompute must not stall the object): at
 * most this many features, in the profile's order, and at most this many encoded columns
 * for the classifier (categories per feature shrink to fit; the rest pool as "other").
 */
const JOINT_MAX_FEATURES = 64;
const JOINT_MAX_ENCODED = 96;

export type JointSource = MultivariateView["reference"];

const VIEW_KEY = "multivariate";
const SOURCE_KEY = "joint_reference_source";

export class JointScores {
  readonly #store: MonitorStore;
  /** The latest scores (stored: a restarted object shows them until the next). */
  view: MultivariateView | null = null;
  /** The baseline's row sample, and where it came from. */
  #reference: { columns: JointColumns; source: JointSource } | null = null;
  /** The most recent rows (memory only). */
  #recent = new RecentRows(JOINT_ROWS);
  /** After a row-less baseline: the first rows after it, which become the reference once full. */
  #capture = new RecentRows(JOINT_ROWS);
  #rowsChanged = false;

  constructor(store: MonitorStore) {
    this.#store = store;
    this.reload();
  }

  /** Re-reads the stored reference and scores (after a rolled-back transaction); recent rows stay. */
  reload(): void {
    const columns = this.#store.loadJointReference();
    const source = this.#store.getMeta(SOURCE_KEY) as JointSource | null;
    this.#reference = columns && source ? { columns, source } : null;
    const view = this.#store.getMeta(VIEW_KEY);
    this.view = view === null ? null : (JSON.parse(view) as MultivariateView);
  }

  /** A counted batch's rows; `keep` is the share the ring samples at high rates (joint-rows.ts). */
  keep(batch: EventColumns, features: readonly FeatureSpec[], keep: number): void {
    this.#recent.add(batch, features, false, keep);
    this.#rowsChanged = true;
    if (this.#reference !== null) return;
    // A baseline without rows: its reference is the first rows counted after it.
    this.#capture.add(batch, features, true);
    if (this.#capture.full) this.setReference(this.#capture.columns(), "after_baseline", features);
  }

  /** Rows that are recent traffic as well as the baseline's (a first-events baseline's held events). */
  addRecent(batches: readonly EventColumns[], features: readonly FeatureSpec[]): void {
    for (const batch of batches) this.#recent.add(batch, features);
    this.#rowsChanged = true;
  }

  /** A new baseline's rows (null: none; the first rows counted after it become the reference). */
  setReference(columns: JointColumns | null, source: JointSource, features: readonly FeatureSpec[]): void {
    this.#reference = columns === null ? null : { columns, source };
    this.#store.saveJointReference(columns);
    if (columns === null) this.#store.deleteMeta(SOURCE_KEY);
    else this.#store.setMeta(SOURCE_KEY, source);
    this.#capture.clear(features);
    this.view = null;
    this.#store.deleteMeta(VIEW_KEY);
  }

  /**
   * Recomputes the scores when new rows arrived and the last run is at least JOINT_EVERY_MS
   * old (`force`: regardless of age), once both sides hold JOINT_MIN_ROWS. True when the
   * scores changed.
   */
  score(now: number, profile: Profile | null, force = false): boolean {
    const reference = this.#reference;
    if (!profile || reference === null || !(this.#rowsChanged || force)) return false;
    if (!force && this.view !== null && now - this.view.computed_at < JOINT_EVERY_MS) return false;
    if (jointRowCount(reference.columns) < JOINT_MIN_ROWS || this.#recent.size < JOINT_MIN_ROWS) return false;
    const current = this.#recent.columns();
    const columns = profile.features
      .filter((f) => reference.columns[f.name] !== undefined && current[f.name] !== undefined)
      .slice(0, JOINT_MAX_FEATURES)
      .map((f) => ({ name: f.name, kind: f.kind }));
    if (columns.length === 0) return false;
    const categorical = columns.filter((c) => c.kind === "categorical").length;
    const maxCategories = Math.max(1, Math.min(20, Math.floor((JOINT_MAX_ENCODED - (columns.length - categorical)) / Math.max(categorical, 1)) - 1));
    this.#rowsChanged = false;
    try {
      const report = multivariateDrift(
        { columns, reference: new Map(Object.entries(reference.columns)), current: new Map(Object.entries(current)) },
        { domainClassifier: { maxRows: JOINT_ROWS, maxCategories }, reconstruction: { maxRows: JOINT_ROWS } },
      );
      const { auc, ci95, drifted, top_features } = report.domain_classifier;
      const { error, lower, upper, drifted: reconstructionDrifted, components } = report.reconstruction;
      this.view = {
        domain_classifier: { auc, ci95, drifted, top_features },
        reconstruction: { error, lower, upper, drifted: reconstructionDrifted, components },
        computed_at: now,
        rows: { reference: report.domain_classifier.rows.reference, current: report.domain_classifier.rows.current },
        reference: reference.source,
      };
      this.#store.setMeta(VIEW_KEY, JSON.stringify(this.view));
      return true;
    } catch (error) {
      // Rows that cannot be scored together (say, one class of a categorical only) leave the last scores.
      if (!(error instanceof MultivariateInputError || error instanceof RangeError)) throw error;
      return false;
    }
  }
}
