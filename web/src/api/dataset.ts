// Reads a reference dataset file into rows for PUT …/baseline: CSV with a header row,
// JSON Lines, or a JSON array of objects. CSV cells that look like numbers become numbers,
// empty cells become null (missing), so the server profiles them as a JSON upload would.

export class DatasetError extends Error {
  override name = "DatasetError";
}

export function readRows(text: string, fileName: string): Record<string, unknown>[] {
  const name = fileName.toLowerCase();
  if (name.endsWith(".csv")) return readCsv(text);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new DatasetError("expected a JSON array of rows");
    return value.map((row, i) => objectRow(row, `row ${i + 1}`));
  }
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      try {
        return objectRow(JSON.parse(line), `line ${i + 1}`);
      } catch (err) {
        throw err instanceof DatasetError ? err : new DatasetError(`line ${i + 1} is not JSON`);
      }
    });
}

function objectRow(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DatasetError(`${where} is not an object`);
  return v as Record<string, unknown>;
}

/** RFC 4180 fields: quotes around commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

function cell(raw: string): unknown {
  if (raw === "") return null;
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

function readCsv(text: string): Record<string, unknown>[] {
  const [header, ...body] = parseCsv(text);
  if (!header) throw new DatasetError("the CSV file is empty");
  return body.map((cells, i) => {
    if (cells.length !== header.length) throw new DatasetError(`CSV row ${i + 2} has ${cells.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cell(cells[j]!)]));
  });
}
