// The dashboard's first-load weight: the entry chunk, every chunk it imports statically,
// their CSS and index.html, gzipped (level 9, as the budget is stated). Lazy pages are
// listed separately. Run after `npm run build:web`:
//   node scripts/bench/dashboard-bundle.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = fileURLToPath(new URL("../../web/dist/", import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8")) as Record<string, Chunk>;
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const k of manifest[key]?.imports ?? []) closure(k, seen);
  return seen;
}

function weigh(keys: Iterable<string>): { files: string[]; bytes: number } {
  const files = new Set<string>();
  for (const k of keys) {
    const c = manifest[k]!;
    files.add(c.file);
    for (const css of c.css ?? []) files.add(css);
  }
  return { files: [...files], bytes: [...files].reduce((a, f) => a + gz(f), 0) };
}

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
const first = closure(entry);
const firstLoad = weigh(first);
const total = firstLoad.bytes + gz("index.html");
console.log(`first load: ${(total / 1024).toFixed(1)} KB gzipped (${firstLoad.files.join(", ")}, index.html)`);
for (const lazy of manifest[entry]!.dynamicImports ?? []) {
  const extra = [...closure(lazy)].filter((k) => !first.has(k));
  const w = weigh(extra);
  console.log(`  + ${lazy}: ${(w.bytes / 1024).toFixed(1)} KB gzipped on first visit`);
}
