import type { LiveSocket, SocketFactory } from "../live/connection.ts";

/** A socket the test drives: open it, push server messages, drop it. */
export class FakeSocket extends EventTarget implements LiveSocket {
  closed = false;
  readonly room: string;
  constructor(room: string) {
    super();
    this.room = room;
  }
  open() {
    this.dispatchEvent(new Event("open"));
  }
  receive(message: unknown) {
    this.dispatchEvent(new MessageEvent("message", { data: typeof message === "string" ? message : JSON.stringify(message) }));
  }
  drop() {
    this.dispatchEvent(new Event("close"));
  }
  close() {
    this.closed = true;
  }
}

export function fakeSockets(): { factory: SocketFactory; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (room) => {
      const s = new FakeSocket(room);
      sockets.push(s);
      return s;
    },
  };
}

/** A fetch stub answering by path; unknown paths get the API's 404 body. */
export function routeFetch(routes: Record<string, (init: RequestInit | undefined) => Response | Promise<Response>>) {
  const calls: { path: string; init: RequestInit | undefined }[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://localhost");
    const path = url.pathname + url.search;
    calls.push({ path, init });
    const handler = routes[path] ?? routes[url.pathname];
    if (handler) return handler(init);
    return Response.json({ error: { code: "not_found", message: `no route ${url.pathname}` } }, { status: 404 });
  };
  return { fn, calls };
}

export function memoryStorage(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    dump: () => Object.fromEntries(m),
  };
}
