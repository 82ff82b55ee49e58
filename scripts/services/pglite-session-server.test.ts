import { connect, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { message } from "./pg-wire.ts";
import { startPGliteSessionServer, type SessionServer } from "./pglite-session-server.ts";

// Two or more real `pg` clients on one in-memory PGlite. Each test makes its own table.
let db: PGlite;
let server: SessionServer | undefined;
const clients: pg.Client[] = [];
const sockets: Socket[] = [];

// Starting PGlite takes a few seconds, more on a busy machine.
beforeAll(async () => {
  db = await PGlite.create();
}, 60_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await db.close();
});

async function start(options: { idleInTransactionTimeoutMs?: number; maxConnections?: number; password?: string; authenticationTimeoutMs?: number } = {}): Promise<SessionServer> {
  server = await startPGliteSessionServer({ db, ...options });
  return server;
}

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ host: "127.0.0.1", port: server!.port, user: "postgres", database: "postgres" });
  c.on("error", () => {}); // asserted where expected, through the failing query
  clients.push(c);
  await c.connect();
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `p` settles; lets a test check that it has not settled yet. */
function track<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const promise = p.finally(() => (settled = true));
  return { promise, settled: () => settled };
}

async function waitFor(check: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(10);
  }
}

async function rows(table: string): Promise<string[]> {
  const result = await db.query<{ v: string }>(`SELECT v FROM ${table} ORDER BY v`);
  return result.rows.map((r) => r.v);
}

describe("PGlite session server", () => {
  it("runs two connections' unnamed prepared statements concurrently without mixing them up", async () => {
    await start();
    const [a, b] = await Promise.all([client(), client()]);
    // Different parameter counts: a Bind from one connection against the other's Parse
    // fails with "bind message supplies 2 parameters, but prepared statement requires 3".
    const loopA = async () => {
      for (let i = 0; i < 150; i++) {
        const r = await a.query<{ s: number }>("SELECT $1::int + $2::int AS s", [i, 1]);
        expect(r.rows[0]!.s).toBe(i + 1);
      }
    };
    const loopB = async () => {
      for (let i = 0; i < 150; i++) {
        const r = await b.query<{ s: string }>("SELECT $1::text || $2::text || $3::text AS s", ["b", i, "z"]);
        expect(r.rows[0]!.s).toBe(`b${i}z`);
      }
    };
    await Promise.all([loopA(), loopB()]);
  });

  it("holds the session from Parse to Sync when a pipeline arrives in pieces", async () => {
    await start();
    const raw = await rawConnection();
    const b = await client();
    // a's Parse arrives, its Bind comes later (a slow network, a split TCP segment).
    raw.write(message("P", Buffer.from("\0SELECT $1::text || $2::text || $3::text\0\0\0")));
    await waitFor(() => server!.stats().owner !== null);
    // Run in between, b's Parse would replace a's unnamed statement, and a's Bind (3
    // parameters) would meet b's 2-parameter statement.
    const queryB = track(b.query<{ s: number }>("SELECT $1::int + $2::int AS s", [40, 2]));
    await sleep(100);
    expect(queryB.settled()).toBe(false);
    const reply = readUntilReady(raw);
    const param = (v: string) => Buffer.concat([int32(v.length), Buffer.from(v)]);
    const bind = Buffer.concat([Buffer.from("\0\0"), int16(0), int16(3), param("x"), param("y"), param("z"), int16(0)]);
    raw.write(Buffer.concat([message("B", bind), message("E", Buffer.alloc(5)), message("S", Buffer.alloc(0))]));
    const types = backendTypes(await reply);
    expect(types).not.toContain("E");
    expect(types).toEqual(["2", "D", "C", "Z"]);
    expect((await queryB.promise).rows[0]!.s).toBe(42);
  });

  it.each([
    ["simple", undefined],
    ["extended", "extended"],
  ] as const)("keeps another connection's statements out of an open transaction (%s protocol)", async (_name, queryMode) => {
    await start();
    const table = `tx_${queryMode ?? "simple"}`;
    await db.exec(`CREATE TABLE ${table} (v text)`);
    const [a, b] = await Promise.all([client(), client()]);
    // pg 8.23 takes queryMode; its types do not list it yet.
    const onA = (text: string) => {
      const config: pg.QueryConfig & { queryMode?: "extended" } = { text, queryMode };
      return a.query(config);
    };
    await onA("BEGIN");
    await onA(`INSERT INTO ${table} VALUES ('a')`);
    // Without the lock this autocommit insert runs inside a's transaction and is rolled back with it.
    const insertB = track(b.query(`INSERT INTO ${table} VALUES ('b')`));
    await sleep(150);
    expect(insertB.settled()).toBe(false);
    expect(server!.stats()).toMatchObject({ waiting: 1 });
    await onA("ROLLBACK");
    await insertB.promise;
    expect(await rows(table)).toEqual(["b"]);
  });

  it("rolls back the transaction of a connection that dies in it and lets the next one in", async () => {
    await start();
    await db.exec("CREATE TABLE dead_tx (v text)");
    const [a, b] = await Promise.all([client(), client()]);
    await a.query("BEGIN");
    await a.query("INSERT INTO dead_tx VALUES ('lost')");
    const insertB = track(b.query("INSERT INTO dead_tx VALUES ('b')"));
    await sleep(100);
    expect(insertB.settled()).toBe(false);
    // The client's process dies: its socket closes without ROLLBACK or Terminate.
    (a as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
    await insertB.promise;
    expect(await rows("dead_tx")).toEqual(["b"]);
    await waitFor(() => server!.stats().connections === 1);
    expect(server!.stats()).toMatchObject({ owner: null, waiting: 0 });
    // The session is idle again: a fresh transaction starts cleanly and commits.
    await b.query("BEGIN");
    await b.query("INSERT INTO dead_tx VALUES ('c')");
    await b.query("COMMIT");
    expect(await rows("dead_tx")).toEqual(["b", "c"]);
  });

  it("rolls back a pipeline cut off before its Sync, erroring or not", async () => {
    await start();
    await db.exec("CREATE TABLE dead_pipe (v text)");
    for (const sql of ["INSERT INTO dead_pipe VALUES ('lost')", "SELEC broken"]) {
      const raw = await rawConnection();
      // Parse, Bind, Execute and no Sync: the backend is inside an implicit transaction
      // (or, after the syntax error, skipping to the next Sync).
      raw.write(Buffer.concat([message("P", Buffer.from(`\0${sql}\0\0\0`)), message("B", Buffer.alloc(8)), message("E", Buffer.alloc(5))]));
      await waitFor(() => server!.stats().owner !== null);
      await sleep(50);
      raw.destroy();
      const b = await client();
      const r = await b.query<{ n: number }>("SELECT count(*)::int AS n FROM dead_pipe");
      expect(r.rows[0]!.n).toBe(0);
      await b.query("BEGIN"); // would warn "already in progress" if the implicit transaction survived
      await b.query("COMMIT");
      expect(db.isInTransaction()).toBe(false);
    }
  });

  it("cuts off a connection that holds the session idle, with FATAL 25P03", async () => {
    await start({ idleInTransactionTimeoutMs: 300 });
    await db.exec("CREATE TABLE idle_tx (v text)");
    const [a, b] = await Promise.all([client(), client()]);
    const aError = new Promise<Error & { code?: string }>((resolve) => a.on("error", resolve));
    await a.query("BEGIN");
    await a.query("INSERT INTO idle_tx VALUES ('lost')");
    const t0 = Date.now();
    await b.query("INSERT INTO idle_tx VALUES ('b')");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect((await aError).code).toBe("25P03");
    expect(await rows("idle_tx")).toEqual(["b"]);
  });

  it("refuses connections beyond maxConnections with FATAL 53300", async () => {
    await start({ maxConnections: 1 });
    await client();
    const refused = new pg.Client({ host: "127.0.0.1", port: server!.port, user: "postgres", database: "postgres" });
    await expect(refused.connect()).rejects.toMatchObject({ code: "53300" });
    expect(server!.stats().connections).toBe(1);
  });

  it("closes a connection on Terminate, freeing its slot", async () => {
    await start();
    const a = await client();
    await a.query("SELECT 1");
    expect(server!.stats().connections).toBe(1);
    await a.end();
    await waitFor(() => server!.stats().connections === 0);
  });
});

describe("PGlite session server with a password", () => {
  const connectAs = async (password: string | undefined) => {
    const c = new pg.Client({ host: "127.0.0.1", port: server!.port, user: "postgres", database: "postgres", ...(password === undefined ? {} : { password }) });
    c.on("error", () => {});
    clients.push(c);
    await c.connect();
    return c;
  };

  it("admits a client that proves the password with SCRAM-SHA-256 and refuses a wrong one with 28P01", async () => {
    await start({ password: "a-random-password-per-start" });
    const ok = await connectAs("a-random-password-per-start");
    expect((await ok.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await expect(connectAs("postgres")).rejects.toMatchObject({ code: "28P01" });
    // pg refuses to start SCRAM without a password; the server never ran anything for it.
    await expect(connectAs(undefined)).rejects.toThrow();
    expect((await ok.query<{ two: number }>("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
  });

  it("never lets an unauthenticated client reach PGlite: a query sent instead of the proof is refused", async () => {
    await start({ password: "secret-one" });
    const socket = connect(server!.port, "127.0.0.1");
    sockets.push(socket);
    socket.on("error", () => {});
    const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
    const startup = Buffer.concat([int32(8 + params.length), int32(196608), params]);
    let received = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(Buffer.concat([startup, message("Q", Buffer.from("SELECT 1\0"))]));
    await closed;
    // AuthenticationSASL offering SCRAM-SHA-256, then FATAL; no AuthenticationOk, no query result.
    expect(backendTypes(received)).toEqual(["R", "E"]);
    expect(received.readInt32BE(5)).toBe(10);
    expect(received.toString()).toContain("SCRAM-SHA-256");
    expect(received.toString()).not.toContain("SELECT");
  });

  it("cuts off a client that does not authenticate in time", async () => {
    await start({ password: "secret-two", authenticationTimeoutMs: 200 });
    const socket = connect(server!.port, "127.0.0.1");
    sockets.push(socket);
    socket.on("error", () => {});
    socket.resume(); // read (and drop) what arrives, so the server's end is seen
    const params = Buffer.from("user\0postgres\0\0");
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(Buffer.concat([int32(8 + params.length), int32(196608), params]));
    await closed;
    expect(server!.stats().connections).toBe(0);
  });
});

/** A bare wire connection past startup (ReadyForQuery received). */
async function rawConnection(): Promise<Socket> {
  const socket = connect(server!.port, "127.0.0.1");
  sockets.push(socket);
  socket.on("error", () => {});
  const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
  const startup = Buffer.alloc(8 + params.length);
  startup.writeInt32BE(startup.length, 0);
  startup.writeInt32BE(196608, 4);
  params.copy(startup, 8);
  let received = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.on("data", (d: Buffer) => {
      received = Buffer.concat([received, d]);
      // The startup reply ends with ReadyForQuery: 'Z', int32 5, status.
      if (received.length >= 6 && received[received.length - 6] === 0x5a) resolve();
    });
    socket.write(startup);
  });
  socket.removeAllListeners("data");
  return socket;
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** Collects what the server sends until a ReadyForQuery. */
function readUntilReady(socket: Socket): Promise<Buffer> {
  let received = Buffer.alloc(0);
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (backendTypes(received).at(-1) === "Z") {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
  });
}

/** The type letters of the complete backend messages in `bytes`. */
function backendTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let i = 0; i + 5 <= bytes.length; ) {
    const length = bytes.readInt32BE(i + 1);
    if (i + 1 + length > bytes.length) break;
    types.push(String.fromCharCode(bytes[i]!));
    i += 1 + length;
  }
  return types;
}
