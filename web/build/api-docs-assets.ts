import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type { Plugin } from "vite";

// The API reference pages (/docs, /redoc) load Swagger UI and ReDoc from the Worker's
// own assets rather than a CDN, so they work offline and behind strict egress rules.
const require = createRequire(import.meta.url);
// ReDoc's sidebar footer shows a logo fetched from Redocly's CDN; an empty inline SVG
// keeps the page free of third-party requests (the image is decorative).
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
const rewrites: Record<string, (text: string) => string> = {
  "bundles/redoc.standalone.js": (text) => text.replaceAll("https://cdn.redoc.ly/redoc/logo-mini.svg", EMPTY_SVG),
};

const files: Array<[pkg: string, file: string, to: string]> = [
  ["swagger-ui-dist", "swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "vendor/swagger-ui/swagger-ui.css"],
  ["redoc", "bundles/redoc.standalone.js", "vendor/redoc/redoc.standalone.js"],
];

export function apiDocsAssets(): Plugin {
  let outDir = "dist";
  return {
    name: "vigil-api-docs-assets",
    apply: "build",
    configResolved(config) {
      // resolve, not join: `vite build --outDir` may be absolute (npm start builds into its data folder).
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      for (const [pkg, file, to] of files) {
        const source = join(dirname(require.resolve(`${pkg}/package.json`)), file);
        const target = join(outDir, to);
        mkdirSync(dirname(target), { recursive: true });
        const rewrite = rewrites[file];
        writeFileSync(target, rewrite ? rewrite(readFileSync(source, "utf8")) : readFileSync(source));
      }
    },
  };
}
