import { describe, expect, it } from "vitest";
import { decodeBatch, encodeBatch } from "./batch-codec.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { parseShardName, shardObjectName } from "./name.ts";
import { idHash, shardOf, splitByShard } from "./shards.ts";
import { TEST_FEATURES, testEvents } from "./testing.ts";

describe("shard routing", () => {
  it("FNV-1a matches its published test vectors", () => {
    expect(idHash("")).toBe(0x811c9dc5);
    expect(idHash("a")).toBe(0xe40c292c);
    expect(idHash("foobar")).toBe(0xbf9cf968);
  });

  it("splits a batch into disjoint shards that hold every row once, by prediction id", () => {
    const events = testEvents(2_000, { seed: 3 });
    events[5]!.features = { age: 30 }; // absent income and region on one row
    (events[7]!.features as Record<string, unknown>).extra = 1;
    const batch = columnsFromEvents(events, TEST_FEATURES);
    const parts = splitByShard(batch, 4);
    expect(parts).toHaveLength(4);
    const ids = parts.flatMap((p, shard) => (p === null ? [] : p.ids.map((id) => ({ id, shard }))));
    expect(ids.map((x) => x.id).sort()).toEqual([...batch.ids].sort());
    for (const { id, shard } of ids) expect(shardOf(id, 4)).toBe(shard);
    for (const p of parts) expect(p!.length).toBeGreaterThan(350); // even enough
    // Each part round-trips through the codec with its rows' values, absences and unknown keys.
    for (const p of parts) {
      const back = decodeBatch(encodeBatch(p!), TEST_FEATURES);
      for (let r = 0; r < back.length; r++) {
        const i = batch.ids.indexOf(back.ids[r]!);
        expect(back.timestamps[r]).toBe(batch.timestamps[i]);
        expect(back.predictions[r]).toBe(batch.predictions[i]);
        expect(back.scores![r]).toBe(batch.scores![i]);
        expect((back.features[0] as { values: Float64Array }).values[r]).toBe((batch.features[0] as { values: Float64Array }).values[i]);
        const region = (c: typeof back.features[number], row: number) => (c.kind === "categorical" ? c.codes[row] === -1 ? null : c.dictionary[c.codes[row]!] : null);
        expect(region(back.features[2]!, r)).toBe(region(batch.features[2]!, i));
      }
    }
    const holder = (id: string) => parts[shardOf(id, 4)]!;
    expect(holder(batch.ids[5]!).absentRows?.some((rows) => rows !== null)).toBe(true);
    expect(holder(batch.ids[7]!).unknownKeys).toEqual(["extra"]);
  });

  it("one shard is the batch itself", () => {
    const batch = columnsFromEvents(testEvents(10), TEST_FEATURES);
    expect(splitByShard(batch, 1)).toEqual([batch]);
    expect(splitByShard(batch, 1)[0]).toBe(batch);
  });

  it("names shard 0 as the version's own object and parses the others back", () => {
    expect(shardObjectName("org:m:v1", 0)).toBe("org:m:v1");
    expect(shardObjectName("org:m:v1", 3)).toBe("org:m:v1#shard-3");
    expect(parseShardName("org:m:v1#shard-3")).toEqual({ coordinator: "org:m:v1", shard: 3 });
    expect(parseShardName("org:m:v1")).toBeNull();
    expect(parseShardName("org:m:v1#shard-0")).toBeNull();
  });
});
