import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { apiDocsAssets } from "./build/api-docs-assets.ts";

// The dashboard is plain Preact compiled by Vite's built-in JSX transform (no Babel),
// built to web/dist, which wrangler serves as static assets.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [apiDocsAssets()],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // The manifest lets scripts/bench/dashboard-bundle.ts sum exactly what the first load fetches.
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", manifest: true },
});
