import { array, asObject, ParseError, type Parser } from "./parse.ts";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor-paginated list: `{ data: [...], next_cursor }` (a bare array is read as one page). */
export function page<T>(item: Parser<T>, key = "data"): Parser<Page<T>> {
  return (v, p = "") => {
    if (Array.isArray(v)) return { items: array(item)(v, p), nextCursor: null };
    const o = asObject(v, p);
    const list = o[key] ?? o.items;
    if (!Array.isArray(list)) throw new ParseError(`${p}${key}`, "an array", list);
    const cursor = o.next_cursor ?? o.nextCursor ?? null;
    return { items: array(item)(list, key), nextCursor: typeof cursor === "string" ? cursor : null };
  };
}
