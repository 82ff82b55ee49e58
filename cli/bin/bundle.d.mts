/** The bundled entry to run (built or rebuilt when needed), or null to run from source (bundle.mjs). */
export function bundledMain(cliDir: string): Promise<string | null>;
