import { z } from "@hono/zod-openapi";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { ApiError } from "../errors.ts";

// Keyset pagination: the cursor holds the last row's sort value and id, so pages stay
// stable while rows are added, and every page is one index range scan.

export const PageQuery = z.object({
  cursor: z.string().optional().openapi({ description: "`next_cursor` from the previous page" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  order: z.enum(["asc", "desc"]).default("asc"),
});

interface Cursor {
  v: string | number | null;
  id: string | number;
}

export function encodeCursor(c: Cursor): string {
  return btoa(JSON.stringify(c)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/"))) as Cursor;
    if (typeof parsed !== "object" || parsed === null || !("id" in parsed) || !("v" in parsed)) throw new Error("shape");
    return parsed;
  } catch {
    throw new ApiError(400, "validation_failed", "invalid query: cursor: not a cursor from this list", [{ field: "cursor", error: "not a cursor from this list" }]);
  }
}

/** Rows after the cursor in (sort column, id) order; `cast` names the column's SQL type. */
export function afterCursor(sortCol: AnyColumn | SQL, idCol: AnyColumn, cursor: string | undefined, order: "asc" | "desc", cast: string, idCast: string): SQL | undefined {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor);
  const v = sql`cast(${c.v} as ${sql.raw(cast)})`;
  const id = sql`cast(${String(c.id)} as ${sql.raw(idCast)})`;
  return order === "asc" ? sql`(${sortCol}, ${idCol}) > (${v}, ${id})` : sql`(${sortCol}, ${idCol}) < (${v}, ${id})`;
}

/** Splits the limit+1 rows fetched into a page and the cursor to the next one. */
export function page<T>(rows: T[], limit: number, key: (row: T) => Cursor): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });

/**
 * A timestamp column truncated to milliseconds, for sorting and cursors: Postgres keeps
 * microseconds but a JS Date (and so the cursor) only milliseconds, and comparing the
 * two would repeat rows across pages.
 */
export const msTime = (col: AnyColumn) => sql`date_trunc('milliseconds', ${col})`;
