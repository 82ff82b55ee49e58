import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPGlite, templatePath } from "./pglite-template.ts";

const scratch = mkdtempSync(join(tmpdir(), "vigil-pglite-template-"));
const cacheDir = join(scratch, "cache");
const version = "test-version";
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("openPGlite", () => {
  it("runs initdb once, then starts new folders from the cached cluster, and reopens a folder with its own data", async () => {
    const first = await openPGlite(join(scratch, "a"), cacheDir, version);
    expect(first.source).toBe("initdb");
    expect(existsSync(templatePath(cacheDir, version))).toBe(true);
    await first.db.exec("create table kept (x int); insert into kept values (7)");
    await first.db.close();

    const second = await openPGlite(join(scratch, "b"), cacheDir, version);
    expect(second.source).toBe("template");
    // The template was taken before any client wrote: the first folder's table is not in it.
    const tables = await second.db.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename = 'kept'");
    expect(tables.rows[0]!.n).toBe(0);
    await second.db.exec("create table t (x int); insert into t values (1), (2)");
    expect((await second.db.query<{ s: number }>("select sum(x)::int as s from t")).rows[0]!.s).toBe(3);
    await second.db.close();

    const reopened = await openPGlite(join(scratch, "a"), cacheDir, version);
    expect(reopened.source).toBe("existing");
    expect((await reopened.db.query<{ x: number }>("select x from kept")).rows).toEqual([{ x: 7 }]);
    await reopened.db.close();
  }, 60_000);

  it("deletes a template that will not load and runs initdb instead", async () => {
    const badCache = join(scratch, "bad-cache");
    mkdirSync(badCache, { recursive: true });
    writeFileSync(templatePath(badCache, version), "not a tarball");
    const opened = await openPGlite(join(scratch, "c"), badCache, version);
    expect(opened.source).toBe("initdb");
    expect((await opened.db.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
    await opened.db.close();
    // initdb's fresh cluster replaced the bad file.
    const next = await openPGlite(join(scratch, "d"), badCache, version);
    expect(next.source).toBe("template");
    await next.db.close();
  }, 60_000);
});
