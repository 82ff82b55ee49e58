// Where report files live, behind one small interface: R2 when the Worker has the
// REPORTS bucket (the deployed environments in wrangler.toml), else Postgres (bytea in
// report_files), which is what `npm start` and the tests use. A report row records
// which, so files written before a binding was added stay readable.
import { eq } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { reportFiles } from "../db/schema/index.ts";
import type { Bindings } from "../env.ts";

export interface StoredFile {
  storage: "postgres" | "r2";
  objectKey: string | null;
}

export interface ReportFiles {
  readonly storage: "postgres" | "r2";
  put(reportId: string, orgId: string, bytes: Uint8Array, contentType: string): Promise<StoredFile>;
  get(reportId: string, file: StoredFile): Promise<Uint8Array | null>;
}

export function postgresFiles(db: Queryable): ReportFiles {
  return {
    storage: "postgres",
    async put(reportId, _orgId, bytes) {
      await db.insert(reportFiles).values({ reportId, bytes }).onConflictDoUpdate({ target: reportFiles.reportId, set: { bytes } });
      return { storage: "postgres", objectKey: null };
    },
    async get(reportId) {
      const [row] = await db.select({ bytes: reportFiles.bytes }).from(reportFiles).where(eq(reportFiles.reportId, reportId));
      return row ? row.bytes : null;
    },
  };
}

export function r2Files(bucket: R2Bucket): ReportFiles {
  return {
    storage: "r2",
    async put(reportId, orgId, bytes, contentType) {
      // Keyed by org first, so a bucket listing or lifecycle rule can work per org.
      const objectKey = `reports/${orgId}/${reportId}`;
      await bucket.put(objectKey, bytes, { httpMetadata: { contentType }, customMetadata: { report_id: reportId } });
      return { storage: "r2", objectKey };
    },
    async get(_reportId, file) {
      if (!file.objectKey) return null;
      const object = await bucket.get(file.objectKey);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
  };
}

/** The REPORTS bucket, bound in the deployed environments only (wrangler.toml). */
function reportsBucket(env: Bindings): R2Bucket | undefined {
  return (env as Bindings & { REPORTS?: R2Bucket }).REPORTS;
}

/** The store new files go to. */
export function reportFilesFor(env: Bindings, db: Queryable): ReportFiles {
  const bucket = reportsBucket(env);
  return bucket ? r2Files(bucket) : postgresFiles(db);
}

/** The store an existing file was written to. */
export function filesHolding(env: Bindings, db: Queryable, file: StoredFile): ReportFiles {
  if (file.storage === "r2") {
    const bucket = reportsBucket(env);
    if (!bucket) throw new Error("this report's file is in R2, but the Worker has no REPORTS bucket bound");
    return r2Files(bucket);
  }
  return postgresFiles(db);
}
