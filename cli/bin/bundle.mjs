// The CLI's start-up bundle. Run from source, every `vigil drift` spends about 0.3 s per
// thread (the main thread and each worker) resolving and type-stripping ~50 TypeScript
// modules before any work starts; the same code as one esbuild bundle loads in ~0.06 s.
// So the bin shim runs cli/.bundle/main.mjs (and, through cli/worker-url.ts, the bundled
// workers beside it), built on first use and rebuilt whenever a source file it was built
// from changed (size or mtime; the manifest lists them). Without esbuild (it comes with the
// project's devDependencies), in a read-only install, or with VIGIL_NO_BUNDLE=1, the CLI
// runs from source as before: the bundle only ever changes start-up time.
//
// Plain JavaScript: the shim may run on a Node without type stripping.

import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ENTRIES = ["main", "drift-worker", "parquet-drift-worker", "dataset-worker"];

async function fresh(cliDir, bundleDir) {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(join(bundleDir, "manifest.json"), "utf8"));
  } catch {
    return false;
  }
  const root = dirname(cliDir);
  const checks = await Promise.all(
    Object.entries(manifest.inputs ?? {}).map(async ([path, seen]) => {
      try {
        const s = await stat(join(root, path));
        return s.size === seen.size && s.mtimeMs === seen.mtimeMs;
      } catch {
        return false;
      }
    }),
  );
  return checks.length > 0 && checks.every(Boolean);
}

async function build(cliDir, bundleDir) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return false;
  }
  const root = dirname(cliDir);
  const staging = `${bundleDir}.${process.pid}.${Date.now()}`;
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, join(cliDir, `${name}.ts`)])),
      outdir: staging,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      packages: "external",
      metafile: true,
      logLevel: "silent",
      // cli/version.ts reads ../package.json from its own folder, which the bundle is not in.
      define: { "import.meta.dirname": JSON.stringify(cliDir) },
    });
    const inputs = {};
    for (const path of Object.keys(result.metafile.inputs)) {
      const absolute = resolve(root, path);
      if (absolute.includes(`${join(root, "node_modules")}`)) continue;
      const s = await stat(absolute);
      inputs[relative(root, absolute)] = { size: s.size, mtimeMs: s.mtimeMs };
    }
    await writeFile(join(staging, "manifest.json"), JSON.stringify({ built: new Date().toISOString(), esbuild: esbuild.version, inputs }));
    // Another vigil may be building the same bundle: whichever rename lands first is used.
    await rm(bundleDir, { recursive: true, force: true });
    await rename(staging, bundleDir).catch(() => undefined);
    return true;
  } catch {
    return false;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The bundled entry to run (built or rebuilt when needed), or null to run from source. */
export async function bundledMain(cliDir) {
  if (process.env.VIGIL_NO_BUNDLE === "1") return null;
  const bundleDir = join(cliDir, ".bundle");
  if (await fresh(cliDir, bundleDir)) return join(bundleDir, "main.mjs");
  await mkdir(dirname(bundleDir), { recursive: true }).catch(() => undefined);
  // Just built from the sources as they are: no need to stat them all again.
  if (!(await build(cliDir, bundleDir))) return null;
  return existsSync(join(bundleDir, "main.mjs")) ? join(bundleDir, "main.mjs") : null;
}
