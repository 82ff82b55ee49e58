// The Reports page's list as signals: the pages read so far (newest first), the cursor to
// the next, and what went wrong. A report the form generates is put on top at once; while
// any listed report is still running (one generated elsewhere, or by a schedule) the first
// page is re-read every few seconds until it has finished.
import { computed, signal, type ReadonlySignal } from "@preact/signals";
import type { ApiClient } from "../../api/client.ts";
import { describeError, isMissingRoute } from "../../api/errors.ts";
import { listReports, type Report } from "../../api/reports.ts";

export const PAGE_SIZE = 25;
export const POLL_MS = 3_000;

export interface ReportList {
  items: ReadonlySignal<Report[]>;
  nextCursor: ReadonlySignal<string | null>;
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  /** This server has no reports API (404 for the route itself). */
  missing: ReadonlySignal<boolean>;
  running: ReadonlySignal<boolean>;
  /** Re-reads the first page, keeping older pages already read. */
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  add(r: Report): void;
}

function merge(newer: Report[], older: Report[]): Report[] {
  const seen = new Set(newer.map((r) => r.id));
  return [...newer, ...older.filter((r) => !seen.has(r.id))].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export function createReportList(api: ApiClient): ReportList {
  const items = signal<Report[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const missing = signal(false);
  let firstRead = false;

  const read = async (cursor: string | null) => {
    loading.value = true;
    try {
      const page = await listReports(api, { cursor, limit: PAGE_SIZE });
      // The first page replaces what it covers; a later page appends.
      if (cursor === null) {
        const newest = page.items.at(-1);
        const older = firstRead && newest ? items.value.filter((r) => r.createdAt < newest.createdAt) : [];
        items.value = merge(page.items, older);
        if (!firstRead) nextCursor.value = page.nextCursor;
        firstRead = true;
      } else {
        items.value = merge(items.value, page.items);
        nextCursor.value = page.nextCursor;
      }
      error.value = null;
      missing.value = false;
    } catch (err) {
      error.value = describeError(err);
      missing.value = isMissingRoute(err);
    } finally {
      loading.value = false;
    }
  };

  return {
    items,
    nextCursor,
    loading,
    error,
    missing,
    running: computed(() => items.value.some((r) => r.status === "running")),
    refresh: () => read(null),
    loadMore: () => (nextCursor.value ? read(nextCursor.value) : Promise.resolve()),
    add: (r) => void (items.value = merge([r], items.value)),
  };
}
