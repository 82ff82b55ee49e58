// A row's segment keys ("dimension:value"): the event's own `segment` map, then each
// categorical feature the schema marks as a segment key that the map does not name.
// Dimensions and values past the limits of stats/streaming/segments.ts are not segments.
import { MISSING_CODE, type CategoricalColumn } from "../../stats/streaming/columns.ts";
import { MAX_SEGMENT_PART, segmentableDimension } from "../../stats/streaming/segments.ts";
import type { EventColumns } from "./event-columns.ts";

/** A categorical schema column marked as a segment key. */
interface KeyColumn {
  name: string;
  column: CategoricalColumn;
}

/** The segment keys of each row: its own `segment` map, then the schema's segment-key features it lacks; null when the batch has neither. */
export function segmentKeysOf(batch: EventColumns, keyFeatures: readonly string[]): (string[] | null)[] | null {
  const keyColumns: KeyColumn[] = [];
  for (const name of keyFeatures) {
    const column = batch.features.find((c) => c.name === name);
    if (column?.kind === "categorical") keyColumns.push({ name, column });
  }
  const segments = batch.segments;
  if (segments === null && keyColumns.length === 0) return null;
  const out = new Array<string[] | null>(batch.length);
  for (let r = 0; r < batch.length; r++) {
    let keys: string[] | null = null;
    const own = segments?.[r];
    if (own) {
      for (const dimension in own) {
        const value = own[dimension] as string;
        if (!segmentableDimension(dimension) || value === "" || value.length > MAX_SEGMENT_PART) continue;
        (keys ??= []).push(`${dimension}:${value}`);
      }
    }
    for (const { name, column } of keyColumns) {
      const code = column.codes[r] as number;
      if (code === MISSING_CODE || (own && Object.hasOwn(own, name)) || !segmentableDimension(name)) continue;
      const value = column.dictionary[code] as string;
      if (value.length <= MAX_SEGMENT_PART) (keys ??= []).push(`${name}:${value}`);
    }
    out[r] = keys;
  }
  return out;
}
