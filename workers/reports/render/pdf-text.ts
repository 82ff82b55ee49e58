// Text for the PDF's standard fonts (Helvetica): they encode WinAnsi (CP-1252) only, and
// pdf-lib throws on anything else. Common symbols are spelled out; any other character
// becomes "?", so a sender's odd feature name can never fail a report.
import type { PDFFont } from "pdf-lib";

const CP1252_EXTRAS = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

const SPELLED: Record<string, string> = {
  "≥": ">=",
  "≤": "<=",
  "≠": "!=",
  "∞": "inf",
  "α": "alpha",
  "χ": "chi",
  "²": "2",
  "→": "->",
  "←": "<-",
  "✓": "ok",
  "✗": "x",
  "−": "-",
  "×": "x",
};

export function pdfSafe(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff && ch !== "\u00ad") || CP1252_EXTRAS.has(ch)) out += ch;
    else if (ch === "\n" || ch === "\t") out += " ";
    else out += SPELLED[ch] ?? "?";
  }
  return out;
}

/** Breaks text into lines no wider than `width` points; a word longer than a line is cut. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const safe = pdfSafe(text);
  const lines: string[] = [];
  let line = "";
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of safe.split(" ")) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (!fits(rest) && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** The text cut to `width` points with an ellipsis. */
export function fitText(text: string, font: PDFFont, size: number, width: number): string {
  const safe = pdfSafe(text);
  if (font.widthOfTextAtSize(safe, size) <= width) return safe;
  let cut = safe.length;
  while (cut > 0 && font.widthOfTextAtSize(`${safe.slice(0, cut)}…`, size) > width) cut--;
  return `${safe.slice(0, cut)}…`;
}
