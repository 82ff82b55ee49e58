// Erasure (GDPR Art. 17) in one ModelMonitor: every row-level record of a data subject,
// or of listed prediction ids, leaves the object's SQLite in one transaction:
//   predictions      label-join rows (id, label, score, subject), blanked in place so
//                    locations stay gapless, with their entries in both hash indexes
//   actuals          the label marks of those predictions (an actual is kept only as
//                    its mark; its value went into the performance aggregates)
//   baseline_events  events held for the first-events baseline, rewritten without them
// Stored batches not yet counted are folded first (the caller does), so none is left
// to replay an erased row. Counted aggregates (minute and hour windows, totals, the
// baseline profile) are left as they are: they hold no row (docs/compliance.md says what
// sketches keep). Counts are cumulative per request in erasure_log, so a retried call
// (the Worker lost the reply, or resumed after a restart) reports the whole removal.
import { decodeBatch, encodeBatch } from "./batch-codec.ts";
import { withoutRows } from "./batch-rows.ts";
import type { FeatureSpec } from "./calls.ts";
import type { ErasureStore } from "./erasure-store.ts";
import { joinHash, type Candidate } from "./join-index.ts";
import { subjectHash, type BlockData, type LabelJoinStore } from "./label-join.ts";

export interface ErasureCall {
  /** The Worker's erasure request id: counts accumulate under it. */
  requestId: string;
  subjectId?: string;
  predictionIds?: readonly string[];
}

export type ErasureStoreName = "predictions" | "actuals" | "baseline_events";

export interface ErasureResult {
  /** Rows removed here for this request, over every call so far. */
  removed: Record<ErasureStoreName, number>;
  /** Prediction ids removed for this request until it is closed (outcomes linked to them go too). */
  predictionIds: string[];
}

interface Target {
  ids: ReadonlySet<string>;
  subject: string | null;
}

/** Locations of stored predictions the target names: by id, by the event's subject, or by an actual's subject. */
function locate(join: LabelJoinStore, target: Target): Set<number> {
  const locs = new Set<number>();
  const rowOf = (loc: number) => {
    const block = join.blockAt(loc);
    return block ? { data: block.data, row: loc - block.first } : undefined;
  };
  if (target.ids.size > 0) {
    for (const { loc } of join.index.candidates([...target.ids].map(joinHash))) {
      const at = rowOf(loc);
      const id = at?.data[0][at.row];
      if (id != null && target.ids.has(id)) locs.add(loc); // every copy of a repeated id
    }
  }
  if (target.subject !== null) {
    for (const { loc } of join.subjects.candidates([subjectHash(target.subject)])) {
      const at = rowOf(loc);
      if (at?.data[4]?.[at.row] === target.subject) locs.add(loc);
    }
    for (const loc of join.labeledBySubject(target.subject)) locs.add(loc);
  }
  return locs;
}

/** Blanks the rows at `locs` and drops their index entries; returns the ids removed (retention.ts uses it too). */
export function blank(join: LabelJoinStore, locs: ReadonlySet<number>): string[] {
  const removed: string[] = [];
  const byBlock = new Map<number, { data: BlockData; rows: number[] }>();
  for (const loc of locs) {
    const block = join.blockAt(loc);
    if (!block) continue;
    const entry = byBlock.get(block.first) ?? { data: structuredClone(block.data), rows: [] };
    entry.rows.push(loc - block.first);
    byBlock.set(block.first, entry);
  }
  const idEntries: Candidate[] = [];
  const subjectEntries: Candidate[] = [];
  for (const [first, { data, rows }] of byBlock) {
    const [ids, , labels, scores, subjects, segments] = data;
    for (const row of rows) {
      const id = ids[row];
      if (id == null) continue; // already erased
      removed.push(id);
      idEntries.push({ h: joinHash(id), loc: first + row });
      const subject = subjects?.[row];
      if (subject != null) subjectEntries.push({ h: subjectHash(subject), loc: first + row });
      ids[row] = null;
      labels[row] = null;
      if (scores) scores[row] = null;
      if (subjects) subjects[row] = null;
      if (segments) segments[row] = null;
    }
    join.rewriteBlock(first, data);
  }
  join.index.forget(idEntries);
  join.subjects.forget(subjectEntries);
  return removed;
}

/** Rewrites held baseline events without the target's rows; returns how many went. */
function eraseHeldEvents(store: ErasureStore, features: readonly FeatureSpec[], target: Target, erasedIds: ReadonlySet<string>): number {
  let removed = 0;
  for (const held of store.referenceRows()) {
    const batch = decodeBatch(held.payload, features);
    const drop = (r: number) => target.ids.has(batch.ids[r]!) || erasedIds.has(batch.ids[r]!) || (target.subject !== null && batch.subjects?.[r] === target.subject);
    let n = 0;
    for (let r = 0; r < batch.length; r++) if (drop(r)) n++;
    if (n === 0) continue;
    removed += n;
    if (n === batch.length) store.deleteReferenceRows(held.seq);
    else store.replaceReferenceRows(held.seq, batch.length - n, encodeBatch(withoutRows(batch, drop)));
  }
  return removed;
}

/** Removes the call's rows; run inside one storage transaction, after folding stored batches. */
export function eraseRows(join: LabelJoinStore, erasures: ErasureStore, features: readonly FeatureSpec[], call: ErasureCall, now: number): ErasureResult {
  const target: Target = { ids: new Set(call.predictionIds ?? []), subject: call.subjectId ?? null };
  const locs = locate(join, target);
  const labeled = join.unmarkLabeled([...locs]);
  const ids = blank(join, locs);
  const held = eraseHeldEvents(erasures, features, target, new Set(ids));
  const log = erasures.entry(call.requestId);
  const removed: Record<ErasureStoreName, number> = {
    predictions: (log.removed.predictions ?? 0) + ids.length,
    actuals: (log.removed.actuals ?? 0) + labeled,
    baseline_events: (log.removed.baseline_events ?? 0) + held,
  };
  const predictionIds = [...new Set([...log.ids, ...ids])];
  erasures.save(call.requestId, { removed, ids: predictionIds }, now);
  return { removed, predictionIds };
}
