// Secrets `npm start` hands to other processes, through files only its user can read,
// never through argv (which every local user sees in `ps`):
//   - `<data dir>/worker-secrets.env`: DATABASE_URL (with the embedded Postgres' password
//     for this start), INSTANCE_ADMIN_TOKEN and the sinks' credentials, read by
//     `wrangler dev --env-file`; removed when the launcher stops.
//   - `<data dir>/admin-key`: the current bootstrap admin API key, which `npm run demo`
//     uses when neither --key nor VIGIL_API_KEY is given and a shell can export
//     (`export VIGIL_KEY=$(cat .data/admin-key)`); it is superseded (revoked) next start.
// Both are created afresh with mode 0600, so an earlier file's mode or owner never carries over.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const WORKER_SECRETS_FILE = "worker-secrets.env";
export const ADMIN_KEY_FILE = "admin-key";

/** Where local state lives: VIGIL_DATA_DIR, else `.data` in the project. */
export function localDataDir(env: Record<string, string | undefined> = process.env): string {
  return env.VIGIL_DATA_DIR ?? fileURLToPath(new URL("../../.data", import.meta.url));
}

/** Creates (or replaces) `path` with `text`, readable and writable by its owner only. */
export function writePrivateFile(path: string, text: string): void {
  rmSync(path, { force: true });
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * A .env file as wrangler reads it (dotenv, then dotenv-expand): single quotes keep a
 * value literal for dotenv, and `\$` keeps dotenv-expand from substituting `$NAME`.
 * Values that cannot be written that way are refused rather than silently changed.
 */
export function envFileText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
      // A quote would end the value early, a trailing backslash would escape the closing quote.
      if (/['\r\n]|\\$/.test(value)) throw new Error(`${name} holds a quote, a line break or a trailing backslash, which npm start cannot pass to wrangler`);
      return `${name}='${value.replace(/\$/g, "\\$")}'\n`;
    })
    .join("");
}

/** Reads one variable back from a file written by envFileText. */
export function envFileValue(text: string, name: string): string | undefined {
  for (const line of text.split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)='(.*)'$/.exec(line);
    if (m?.[1] === name) return m[2]!.replace(/\\\$/g, "$");
  }
  return undefined;
}

export function writeWorkerSecrets(dataDir: string, vars: Record<string, string>): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, WORKER_SECRETS_FILE);
  writePrivateFile(path, envFileText(vars));
  return path;
}

/** A secret of the running stack (e.g. DATABASE_URL with this start's password), for tests and tools. */
export function readWorkerSecret(dataDir: string, name: string): string | undefined {
  const path = join(dataDir, WORKER_SECRETS_FILE);
  return existsSync(path) ? envFileValue(readFileSync(path, "utf8"), name) : undefined;
}

export function writeAdminKey(dataDir: string, key: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, ADMIN_KEY_FILE);
  writePrivateFile(path, `${key}\n`);
  return path;
}

/** The admin key the last `npm start` wrote, if any. */
export function readAdminKey(dataDir: string): string | undefined {
  const path = join(dataDir, ADMIN_KEY_FILE);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, "utf8").trim() || undefined;
}
