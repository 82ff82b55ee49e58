// A Postgres wire socket in front of one PGlite, where each client connection owns
// the single PGlite session for a whole exchange. It replaces pglite-socket's server,
// which (0.2.17) queues every frontend message on its own: two connections' extended
// protocol messages (Parse/Bind/Execute/Sync) interleave and clobber each other's
// unnamed statement, and a statement from one connection can run inside another's
// transaction whenever PGlite reports no explicit transaction block (an implicit
// extended-protocol transaction, or BEGIN sent through Parse/Bind/Execute).
//
// The rule here: a connection takes the session lock with its first message and keeps
// it until the backend answers ReadyForQuery ('Z') with status 'I' (idle). A pipeline
// up to its Sync and a whole BEGIN … COMMIT run with nothing from other connections in
// between; their messages wait in arrival order. A lock holder that sends nothing for
// `idleInTransactionTimeoutMs` (Postgres' idle_in_transaction_session_timeout) is cut
// off with FATAL 25P03. When a lock holder goes away (socket closed, Terminate, timeout)
// its unfinished work is rolled back and the session returned to idle before the next
// connection runs: an aborted COPY is failed, an open pipeline or transaction rolled
// back with a simple-query ROLLBACK, or, if the backend is skipping to the next Sync
// after an error, with a Sync and then ROLLBACK.
//
// Session-level state is still shared, as it is one Postgres session: SET, named
// prepared statements, temporary tables and LISTEN are seen by every connection.
//
// With a `password`, a client must prove it with SCRAM-SHA-256 (pg-scram.ts) before its
// startup message reaches PGlite, which has no authentication of its own; until then it
// never touches the session. Any local process (or a web page through the Neon relay)
// can open a loopback socket, so `npm start` sets a fresh random password every start.
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { ScramExchange, scramVerifier, type ScramVerifier } from "./pg-scram.ts";
import { BackendScanner, authentication, cString, errorResponse, message, startupUser } from "./pg-wire.ts";

export interface SessionServerOptions {
  db: PGlite;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Connections beyond this are refused with FATAL 53300. Default 16. */
  maxConnections?: number;
  /** How long a connection may hold the session without sending anything. Default 15 s. */
  idleInTransactionTimeoutMs?: number;
  /** Clients must prove this password (SCRAM-SHA-256); without it every client is trusted. */
  password?: string;
  /** How long a client may take to authenticate (Postgres' authentication_timeout). Default 10 s. */
  authenticationTimeoutMs?: number;
}

export interface SessionServer {
  port: number;
  /** Open connections, the id of the connection holding the session, and how many wait for it. */
  stats(): { connections: number; owner: number | null; waiting: number };
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Larger frames are refused: Postgres' own limit for a message is 1 GB. */
const MAX_FRAME = 1 << 30;

export async function startPGliteSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const maxConnections = options.maxConnections ?? 16;
  const idleTimeoutMs = options.idleInTransactionTimeoutMs ?? 15_000;
  if (!(maxConnections >= 1)) throw new Error(`maxConnections must be >= 1: ${maxConnections}`);
  if (!(idleTimeoutMs > 0)) throw new Error(`idleInTransactionTimeoutMs must be > 0: ${idleTimeoutMs}`);
  const auth = options.password === undefined ? undefined : { verifier: scramVerifier(options.password), timeoutMs: options.authenticationTimeoutMs ?? 10_000 };
  await options.db.waitReady;

  const lock = new SessionLock();
  const connections = new Set<Connection>();
  const server: Server = createServer((socket) => {
    if (connections.size >= maxConnections) {
      closeAfter(socket, errorResponse("FATAL", "53300", "sorry, too many clients already"));
      return;
    }
    const connection = new Connection(socket, options.db, lock, idleTimeoutMs, auth, () => connections.delete(connection));
    connections.add(connection);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    stats: () => ({ connections: connections.size, owner: lock.owner?.id ?? null, waiting: lock.waiting }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((c) => c.shutdown()));
      await closed;
    },
  };
}

/** FIFO ownership of the one PGlite session. */
class SessionLock {
  owner: Connection | null = null;
  private queue: Array<{ connection: Connection; grant: (granted: boolean) => void }> = [];

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves true once `connection` owns the session, false if it was forgotten while waiting. */
  acquire(connection: Connection): Promise<boolean> {
    if (this.owner === connection) return Promise.resolve(true);
    if (!this.owner) {
      this.owner = connection;
      return Promise.resolve(true);
    }
    return new Promise((grant) => this.queue.push({ connection, grant }));
  }

  /** Takes a connection that has gone away out of the queue. */
  forget(connection: Connection): void {
    const waiter = this.queue.find((w) => w.connection === connection);
    if (!waiter) return;
    this.queue = this.queue.filter((w) => w !== waiter);
    waiter.grant(false);
  }

  release(connection: Connection): void {
    if (this.owner !== connection) return;
    const next = this.queue.shift();
    this.owner = next?.connection ?? null;
    next?.grant(true);
  }
}

let nextConnectionId = 1;

interface AuthSettings {
  verifier: ScramVerifier;
  timeoutMs: number;
}

/** A client between its startup message and a proven password. */
interface PendingAuth {
  exchange: ScramExchange;
  startup: Buffer;
  user: string;
  step: "first" | "final";
  timer: NodeJS.Timeout;
}

class Connection {
  readonly id = nextConnectionId++;
  private buffer: Buffer = Buffer.alloc(0);
  private inStartup = true;
  /** Complete frontend messages not yet run; `typed` is false for the startup message. */
  private frames: Array<{ typed: boolean; data: Buffer }> = [];
  private pumping = false;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly scanner = new BackendScanner();
  /** True from a message the backend has not yet answered with ReadyForQuery 'I'. */
  private busySession = false;
  private cleanUpStarted = false;
  private readonly done: Promise<void>;
  private finish!: () => void;
  private readonly socket: Socket;
  private readonly db: PGlite;
  private readonly lock: SessionLock;
  private readonly idleTimeoutMs: number;
  private readonly auth: AuthSettings | undefined;
  private pendingAuth: PendingAuth | undefined;
  private readonly onGone: () => void;

  constructor(socket: Socket, db: PGlite, lock: SessionLock, idleTimeoutMs: number, auth: AuthSettings | undefined, onGone: () => void) {
    this.socket = socket;
    this.db = db;
    this.lock = lock;
    this.idleTimeoutMs = idleTimeoutMs;
    this.auth = auth;
    this.onGone = onGone;
    this.done = new Promise((resolve) => (this.finish = resolve));
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", () => this.onClose());
    socket.on("close", () => this.onClose());
  }

  /** Closes the socket and resolves once the session is released. */
  shutdown(): Promise<void> {
    this.socket.destroy();
    this.onClose();
    return this.done;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerLength = this.inStartup ? 0 : 1;
      if (this.buffer.length < headerLength + 4) break;
      const length = this.buffer.readInt32BE(headerLength);
      if (length < (this.inStartup ? 8 : 4) || length > MAX_FRAME) {
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < headerLength + length) break;
      const frame = this.buffer.subarray(0, headerLength + length);
      this.buffer = this.buffer.subarray(headerLength + length);
      if (this.inStartup) {
        const code = frame.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // PGlite has no backend to signal; the protocol expects no reply.
          this.socket.destroy();
          return;
        }
        this.inStartup = false;
        if (this.auth) this.beginAuth(this.auth, Buffer.from(frame));
        else this.frames.push({ typed: false, data: Buffer.from(frame) });
        continue;
      }
      if (this.pendingAuth) {
        this.continueAuth(this.pendingAuth, frame);
        if (this.closed) return;
        continue;
      }
      this.frames.push({ typed: true, data: Buffer.from(frame) });
    }
    void this.pump();
  }

  /** Holds the startup message back and asks for SCRAM-SHA-256. */
  private beginAuth(auth: AuthSettings, startup: Buffer): void {
    const timer = setTimeout(() => this.refuse("08P01", "canceling authentication due to timeout"), auth.timeoutMs);
    timer.unref();
    this.pendingAuth = { exchange: new ScramExchange(auth.verifier), startup, user: startupUser(startup), step: "first", timer };
    this.socket.write(authentication(10, ScramExchange.mechanisms()));
  }

  /** One SASL message; once the proof holds, the startup message goes to PGlite, which answers AuthenticationOk. */
  private continueAuth(pending: PendingAuth, frame: Buffer): void {
    if (frame[0] !== 0x70 /* 'p': SASLInitialResponse or SASLResponse */) {
      this.refuse("28000", "expected a SASL response");
      return;
    }
    try {
      const body = frame.subarray(5);
      if (pending.step === "first") {
        this.socket.write(authentication(11, Buffer.from(pending.exchange.clientFirst(body))));
        pending.step = "final";
        return;
      }
      this.socket.write(authentication(12, Buffer.from(pending.exchange.clientFinal(body))));
    } catch {
      // A wrong proof, a malformed message, or one too short to parse (a RangeError): all refused alike.
      this.refuse("28P01", `password authentication failed for user "${pending.user}"`);
      return;
    }
    clearTimeout(pending.timer);
    this.pendingAuth = undefined;
    this.frames.push({ typed: false, data: pending.startup });
  }

  private refuse(code: string, text: string): void {
    closeAfter(this.socket, errorResponse("FATAL", code, text));
    this.onClose();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.frames.length > 0) {
        const { typed, data: frame } = this.frames.shift()!;
        if (typed && frame[0] === 0x58 /* Terminate */) {
          this.socket.end();
          this.onClose();
          break;
        }
        this.clearIdleTimer();
        if (!(await this.lock.acquire(this)) || this.closed) break;
        this.busySession = true;
        this.scanner.ready = null;
        await this.exec(frame, (data) => {
          if (!this.socket.destroyed) this.socket.write(data);
        });
        if (this.scanner.ready === "I") {
          this.busySession = false;
          this.lock.release(this);
        }
      }
    } catch (error) {
      process.stderr.write(`pglite session server: connection ${this.id}: ${(error as Error).message}\n`);
      this.socket.destroy();
      this.onClose();
    } finally {
      this.pumping = false;
    }
    if (this.closed) await this.cleanUp();
    else if (this.lock.owner === this && this.frames.length === 0) this.startIdleTimer();
  }

  private exec(frame: Buffer, onData: (data: Buffer) => void): Promise<void> {
    return this.db.runExclusive(() =>
      this.db.execProtocolRawStream(new Uint8Array(frame.buffer, frame.byteOffset, frame.length), {
        onRawData: (data) => {
          this.scanner.push(data);
          onData(Buffer.from(data));
        },
      }),
    );
  }

  private startIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      if (this.closed || this.lock.owner !== this) return;
      const seconds = this.idleTimeoutMs / 1000;
      closeAfter(
        this.socket,
        errorResponse("FATAL", "25P03", `terminating connection due to idle-in-transaction timeout (held the embedded Postgres session ${seconds} s without sending anything)`),
      );
      this.onClose();
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    if (this.pendingAuth) clearTimeout(this.pendingAuth.timer);
    this.frames = [];
    this.lock.forget(this);
    // A running message finishes first; pump() cleans up after it.
    if (!this.pumping) void this.cleanUp();
  }

  /** Returns the session to idle if this connection left it mid-exchange, then lets the next one in. */
  private async cleanUp(): Promise<void> {
    if (this.cleanUpStarted) return;
    this.cleanUpStarted = true;
    try {
      if (this.lock.owner === this && this.busySession) await this.resetSession();
    } catch (error) {
      process.stderr.write(`pglite session server: resetting after connection ${this.id}: ${(error as Error).message}\n`);
    } finally {
      this.lock.release(this);
      this.onGone();
      this.finish();
    }
  }

  private async resetSession(): Promise<void> {
    const discard = () => {};
    if (this.scanner.copyIn) await this.exec(message("f", cString("client connection lost")), discard);
    // Mid-pipeline or in a transaction block: a simple-query ROLLBACK aborts either
    // (an uncommitted implicit transaction too, where a Sync would commit it).
    this.scanner.ready = null;
    await this.exec(message("Q", cString("ROLLBACK")), discard);
    if (this.scanner.ready === "I") return;
    // No answer: the backend skips everything up to a Sync after an error.
    await this.exec(message("S", Buffer.alloc(0)), discard);
    if (this.scanner.ready !== "I") await this.exec(message("Q", cString("ROLLBACK")), discard);
  }
}

/** Sends a last message and closes, without waiting for the client to close its side. */
function closeAfter(socket: Socket, last: Buffer): void {
  socket.end(last, () => socket.destroy());
}
