// drizzle's migrator applies a journal entry only when its `when` is later than the last
// migration the database recorded, so an entry dated before an older one is silently
// skipped on every database that already has the older one (found in session 5: 0007 and
// 0010 were dated before 0006). The journal must therefore be in idx order, dated in that
// order, and name files that exist.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "./migrate.ts";

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as { entries: JournalEntry[] };

describe("migrations/meta/_journal.json", () => {
  it("lists entries by increasing idx, each dated after the one before", () => {
    const entries = journal.entries;
    expect(entries.length).toBeGreaterThan(0);
    for (let i = 1; i < entries.length; i++) {
      const [before, entry] = [entries[i - 1] as JournalEntry, entries[i] as JournalEntry];
      expect(entry.idx, `${entry.tag} after ${before.tag}`).toBeGreaterThan(before.idx);
      expect(entry.when, `${entry.tag} is dated before ${before.tag}`).toBeGreaterThan(before.when);
    }
  });

  it("names a .sql file for every entry, numbered as its idx", () => {
    for (const entry of journal.entries) {
      expect(existsSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`)), entry.tag).toBe(true);
      expect(entry.tag.startsWith(String(entry.idx).padStart(4, "0")), entry.tag).toBe(true);
    }
  });
});
