// A structural budget for batch bodies, checked on the text as it is decoded, before
// JSON.parse. What makes a body expensive to parse is its shape more than its size: `{}`
// is two characters of text and some 50 bytes of heap, so a 29 KB gzip body holding 10
// million empty events inflated to 30 MB (under the 32 MB limit) and took JSON.parse 2 s
// and 400 MB. The batch limit bounds what a real batch needs, so a body may hold at most
// that many items' worth of structure:
// - objects and arrays: CONTAINERS_PER_ITEM per item (an event needs 1 to 4: itself, its
//   features, score and segment; the rest is room for fields Vigil ignores);
// - array elements, counted by the commas between them: ELEMENTS_PER_ITEM per item (8
//   bytes of heap per 2 characters in `[1,1,…]`; an event is one element of `events`);
// - NDJSON lines, at most 2 per item (a blank line between events costs nothing);
// each plus ENVELOPE. Past any of them, 413 naming the batch limit; read-body.ts then
// cancels the stream, so the rest of the body is never inflated. The `{}` bomb is refused
// after some 240 KB of inflated text, and what any body within the budgets can cost
// JSON.parse in objects and elements is about 10 MB.
//
// Cost: the exact count walks every byte (about half as long as JSON.parse), so it runs only
// when it could matter. First the decoded text's `{`, `[` and `,` are counted wherever they
// are (String.indexOf, about 0.2 ms per MB): within the budgets, the exact counts are too.
// Past them (a bomb, or a full batch with more than about 60 fields per event), the bytes
// seen so far are walked exactly, strings and escapes skipped, and so is the rest (about 4 ms
// per MB, 80 % of JSON.parse's time on such a body). A 10,000-event batch with 40 features
// (9 MB, 430k commas) stays on the quick count: 2 to 4 ms, a tenth of JSON.parse.
import { ApiError } from "../errors.ts";

export const CONTAINERS_PER_ITEM = 8;
export const ELEMENTS_PER_ITEM = 64;
export const ENVELOPE = 64;

export interface ShapeLimits {
  /** The batch limit: items (events, records) a body may hold. */
  maxItems: number;
  /** The items' name in the 413 ("events", "records"). */
  items: string;
  /** The 413's error code ("too_many_events"). */
  code: string;
  /** NDJSON: one item per line. */
  lines: boolean;
  /** The 413's message in full, for bodies that are not batches (default: the batch advice). */
  message?: (what: string) => string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** Occurrences of `ch` in `text`, counting stops once past `stopAfter`. */
function countOf(text: string, ch: string, stopAfter: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1 && n <= stopAfter; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Feed it the body part by part, each part's bytes with their decoded text; it throws the
 * 413 as soon as the budget is spent.
 */
export class JsonShapeGuard {
  readonly maxContainers: number;
  readonly maxElements: number;
  readonly maxLines: number;
  readonly #limits: ShapeLimits;
  /** Upper bounds from the quick count; exact once `#exact`. */
  #containers = 0;
  #elements = 0;
  #lines = 1;
  /** Parts seen while the quick count held, kept to walk them if it stops holding. */
  #pending: Uint8Array[] = [];
  #exact = false;
  #inString = false;
  #escaped = false;
  /** Per open container: 1 for an array, 0 for an object. */
  #arrays: number[] = [];

  constructor(limits: ShapeLimits) {
    this.#limits = limits;
    this.maxContainers = limits.maxItems * CONTAINERS_PER_ITEM + ENVELOPE;
    this.maxElements = limits.maxItems * ELEMENTS_PER_ITEM + ENVELOPE;
    this.maxLines = limits.maxItems * 2 + ENVELOPE;
  }

  /** The body is complete: what was kept for a walk is no longer needed. */
  finish(): void {
    this.#pending = [];
  }

  /** Whether the exact walk was needed (for tests and benchmarks). */
  get walked(): boolean {
    return this.#exact;
  }

  push(bytes: Uint8Array, text: string): void {
    if (this.#limits.lines) {
      this.#lines += countOf(text, "\n", this.maxLines);
      if (this.#lines > this.maxLines) this.#refuse(`more than ${this.maxLines} lines`);
    }
    if (!this.#exact) {
      const room = this.maxContainers - this.#containers;
      this.#containers += countOf(text, "{", room) + countOf(text, "[", room);
      this.#elements += countOf(text, ",", this.maxElements - this.#elements);
      if (this.#containers <= this.maxContainers && this.#elements <= this.maxElements) {
        this.#pending.push(bytes);
        return;
      }
      this.#exact = true;
      this.#containers = 0;
      this.#elements = 0;
      for (const part of this.#pending) this.#walk(part);
      this.#pending = [];
    }
    this.#walk(bytes);
  }

  /**
   * The exact count: containers, and commas between array elements, outside strings. On
   * bytes, about twice as fast as charCodeAt; JSON's structure is ASCII and UTF-8
   * continuation bytes never look like it.
   */
  #walk(bytes: Uint8Array): void {
    let containers = this.#containers;
    let elements = this.#elements;
    let inString = this.#inString;
    let escaped = this.#escaped;
    const arrays = this.#arrays;
    const maxContainers = this.maxContainers;
    const maxElements = this.maxElements;
    for (let i = 0, n = bytes.length; i < n; i++) {
      const c = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        arrays.push(c === OPEN_ARRAY ? 1 : 0);
        if (++containers > maxContainers) this.#refuse(`more than ${maxContainers} objects and arrays, ${CONTAINERS_PER_ITEM} per item`);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        arrays.pop();
      } else if (c === COMMA) {
        if (arrays[arrays.length - 1] === 1 && ++elements > maxElements) this.#refuse(`more than ${maxElements} array elements, ${ELEMENTS_PER_ITEM} per item`);
      }
    }
    this.#containers = containers;
    this.#elements = elements;
    this.#inString = inString;
    this.#escaped = escaped;
  }

  #refuse(what: string): never {
    const { maxItems, items, code, message } = this.#limits;
    throw new ApiError(413, code, message?.(what) ?? `batch holds more than ${maxItems} ${items} can (${what}); split it into batches of at most ${maxItems} ${items}`, {
      limit_items: maxItems,
      limit_containers: this.maxContainers,
      limit_elements: this.maxElements,
    });
  }
}
