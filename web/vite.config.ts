import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard is plain Preact compiled by Vite's built-in JSX transform (no Babel),
// built to web/dist, which wrangler serves as static assets.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // The manifest lets scripts/bench/dashboard-bundle.ts sum exactly what the first load fetches.
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", manifest: true },
});
