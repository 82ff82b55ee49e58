import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard is plain Preact compiled by Vite's built-in JSX transform (no Babel),
// built to web/dist, which wrangler serves as static assets.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
