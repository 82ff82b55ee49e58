import { ApiRequestError, errorFromBody } from "./errors.ts";
import { ParseError, type Parser } from "./parse.ts";

/** How the browser proves who it is: a pasted API key (Bearer) or a session cookie plus its CSRF token. */
export type Credentials = { kind: "key"; key: string } | { kind: "session"; csrfToken: string; email: string } | null;

export interface ApiClient {
  get<T>(path: string, parse: Parser<T>, signal?: AbortSignal): Promise<T>;
  send<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body: unknown, parse: Parser<T>): Promise<T>;
  upload<T>(method: "POST" | "PUT", path: string, file: Blob, contentType: string, parse: Parser<T>, onProgress: (fraction: number) => void): Promise<T>;
  /** A file the API serves (a report's bytes), read with the same credentials as every other call. */
  file(path: string, signal?: AbortSignal): Promise<FetchedFile>;
}

export interface FetchedFile {
  blob: Blob;
  contentType: string;
  /** The file name from Content-Disposition, when the server sent one. */
  fileName: string | null;
  headers: Headers;
}

/** `attachment; filename="x.pdf"` → x.pdf (the quoted form the API sends; a bare token too). */
export function fileNameOf(disposition: string | null): string | null {
  const m = disposition ? /filename="([^"]*)"|filename=([^;\s]+)/i.exec(disposition) : null;
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export const CSRF_HEADER = "X-CSRF-Token";

function authHeaders(credentials: Credentials, write: boolean): Record<string, string> {
  if (!credentials) return {};
  if (credentials.kind === "key") return { Authorization: `Bearer ${credentials.key}` };
  return write ? { [CSRF_HEADER]: credentials.csrfToken } : {};
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parsed<T>(status: number, body: unknown, parse: Parser<T>): T {
  try {
    return parse(body);
  } catch (err) {
    if (err instanceof ParseError) throw new ApiRequestError(status, "bad_response", err.message);
    throw err;
  }
}

/**
 * A typed fetch client. Every failure becomes an ApiRequestError: the server's shared
 * error body when there is one, `network_error` when the request never got an answer,
 * `bad_response` when the answer does not match what the dashboard expects.
 */
export function createApiClient(getCredentials: () => Credentials, base = ""): ApiClient {
  async function answer(method: string, path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(base + path, { ...init, method, credentials: "same-origin" });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiRequestError(0, "network_error", `could not reach the API: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function request<T>(method: string, path: string, init: RequestInit, parse: Parser<T>): Promise<T> {
    const res = await answer(method, path, init);
    const body = await readJson(res);
    if (!res.ok) throw errorFromBody(res.status, res.statusText, body);
    return parsed(res.status, body, parse);
  }

  return {
    get(path, parse, signal) {
      return request("GET", path, { headers: { Accept: "application/json", ...authHeaders(getCredentials(), false) }, signal }, parse);
    },
    send(method, path, body, parse) {
      const headers: Record<string, string> = { Accept: "application/json", ...authHeaders(getCredentials(), true) };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      return request(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) }, parse);
    },
    async file(path, signal) {
      const res = await answer("GET", path, { headers: { Accept: "*/*", ...authHeaders(getCredentials(), false) }, signal });
      if (!res.ok) throw errorFromBody(res.status, res.statusText, await readJson(res));
      return { blob: await res.blob(), contentType: res.headers.get("content-type") ?? "application/octet-stream", fileName: fileNameOf(res.headers.get("content-disposition")), headers: res.headers };
    },
    upload(method, path, file, contentType, parse, onProgress) {
      // fetch() cannot report upload progress; XMLHttpRequest can.
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open(method, base + path);
        xhr.setRequestHeader("Content-Type", contentType);
        xhr.setRequestHeader("Accept", "application/json");
        for (const [k, v] of Object.entries(authHeaders(getCredentials(), true))) xhr.setRequestHeader(k, v);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
        };
        xhr.onerror = () => reject(new ApiRequestError(0, "network_error", "could not reach the API during upload"));
        xhr.onload = () => {
          let body: unknown = undefined;
          try {
            body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
          } catch {
            body = xhr.responseText;
          }
          if (xhr.status < 200 || xhr.status >= 300) return reject(errorFromBody(xhr.status, xhr.statusText, body));
          onProgress(1);
          try {
            resolve(parsed(xhr.status, body, parse));
          } catch (err) {
            reject(err);
          }
        };
        xhr.send(file);
      });
    },
  };
}
