// The label join's index (durable/monitor/join-index.ts) at millions of predictions, in
// process over node:sqlite (scripts/testing/sqlite-storage.ts): blocks of random UUIDv4
// ids are staged and stepped as the monitor does (one stage per batch, one step per tick),
// and at each checkpoint it times a lookup of an actuals batch (`candidates`) and the
// generation range statement, as written now and in its earlier `SELECT MIN(x), MAX(x)`
// form, on the same tables. The tail in memory has no source to be read back from here
// (nothing reloads it).
//
//   node scripts/bench/join-index.bench.ts [--checkpoints 1000000,5000000,10000000] [--block 1000] [--lookup 500]
import { parseArgs } from "node:util";
import { JoinIndex, joinHash, rangeQuery } from "../../durable/monitor/join-index.ts";
import { sqliteStorage } from "../testing/sqlite-storage.ts";

const { values: flags } = parseArgs({
  options: {
    checkpoints: { type: "string", default: "1000000,5000000,10000000" },
    block: { type: "string", default: "1000" },
    lookup: { type: "string", default: "500" },
  },
});
const checkpoints = flags.checkpoints.split(",").map(Number);
const BLOCK = Number(flags.block);
const LOOKUP = Number(flags.lookup);

const { storage, close } = sqliteStorage();
const sql = storage.sql;
const index = new JoinIndex(sql);
const ids: string[] = [];
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(fn: () => unknown, rounds = 7): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(ms(t));
  }
  return median(times);
}

console.log("| predictions | in memory / generations | upkeep per 1,000 events (ms) | lookup of " + LOOKUP + " ids (ms) | range, scalar subqueries (ms) | range, MIN and MAX in one SELECT (ms) |");
console.log("|---|---|---|---|---|---|");
let loc = 1;
let upkeepMs = 0;
let sinceCheckpoint = 0;
for (const target of checkpoints) {
  while (loc <= target) {
    const block: number[] = [];
    for (let i = 0; i < BLOCK; i++) {
      const id = crypto.randomUUID();
      if (ids.length < 100_000) ids.push(id);
      else if (Math.random() < 0.01) ids[Math.floor(Math.random() * ids.length)] = id;
      block.push(joinHash(id));
    }
    const t = process.hrtime.bigint();
    storage.transactionSync(() => {
      index.stage(loc, block);
      index.step(false);
    });
    upkeepMs += ms(t);
    sinceCheckpoint += BLOCK;
    loc += BLOCK;
  }
  const probe = Array.from({ length: LOOKUP }, () => joinHash(ids[Math.floor(Math.random() * ids.length)]!));
  const lookup = timed(() => index.candidates(probe));
  const levels = (table: string) => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
  const scalar = timed(() => sql.exec(rangeQuery("join")).toArray());
  const combined = timed(() => sql.exec(`SELECT MIN(gen) AS lo, MAX(gen) AS hi FROM join_l1`).toArray(), 3);
  console.log(`| ${target.toLocaleString("en")} | ${index.held.toLocaleString("en")} / ${levels("join_l1").toLocaleString("en")} | ${(upkeepMs / (sinceCheckpoint / 1000)).toFixed(3)} | ${lookup.toFixed(2)} | ${scalar.toFixed(3)} | ${combined.toFixed(1)} |`);
  upkeepMs = 0;
  sinceCheckpoint = 0;
}
close();
