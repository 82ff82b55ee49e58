// The server side of Postgres' SCRAM-SHA-256 password exchange (RFC 5802, RFC 7677;
// PostgreSQL docs, "SASL Authentication"), for the embedded Postgres: PGlite has no
// authentication of its own (it answers a startup message with AuthenticationOk), so
// the session server in front of it runs this exchange before PGlite sees a client.
//
// SCRAM rather than cleartext or md5: the password never crosses the socket, a captured
// exchange cannot be replayed (both sides add a nonce), and both `pg` and the Neon
// driver inside workerd speak it, as they do to a real Postgres or Neon. Channel binding
// (SCRAM-SHA-256-PLUS) is not offered: the socket is plain TCP on loopback.
//
// The verifier is derived once per server start (one PBKDF2 run), as Postgres stores it.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

const MECHANISM = "SCRAM-SHA-256";
const ITERATIONS = 4096;

export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

/** What the server keeps instead of the password. The password is ASCII here, so SASLprep changes nothing. */
export function scramVerifier(password: string, iterations = ITERATIONS): ScramVerifier {
  if (password.length === 0) throw new Error("the embedded Postgres password must not be empty");
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return { salt, iterations, storedKey: sha256(hmac(salted, "Client Key")), serverKey: hmac(salted, "Server Key") };
}

export class ScramError extends Error {}

/**
 * One client's exchange: `start()` names the mechanism, `clientFirst()` answers the
 * SASLInitialResponse, `clientFinal()` checks the proof and returns the server's
 * signature. Any malformed or wrong message throws ScramError.
 */
export class ScramExchange {
  private clientFirstBare = "";
  private serverFirst = "";
  private gs2Header = "";
  private nonce = "";
  private readonly verifier: ScramVerifier;

  constructor(verifier: ScramVerifier) {
    this.verifier = verifier;
  }

  /** AuthenticationSASL's body: the mechanisms offered, each NUL-terminated, then a NUL. */
  static mechanisms(): Buffer {
    return Buffer.from(`${MECHANISM}\0\0`);
  }

  /** Takes the SASLInitialResponse body; returns the server-first-message. */
  clientFirst(body: Buffer): string {
    const nul = body.indexOf(0);
    if (nul < 0 || body.subarray(0, nul).toString() !== MECHANISM) throw new ScramError(`only ${MECHANISM} is supported`);
    const length = body.readInt32BE(nul + 1);
    const message = body.subarray(nul + 5, nul + 5 + Math.max(0, length)).toString();
    // gs2-header: "n,," (no channel binding) or "y,," (client could bind, server offers none).
    const match = /^([ny]),,(n=[^,]*,r=([!-+\--~]+)(?:,.*)?)$/.exec(message);
    if (!match) throw new ScramError("malformed SCRAM client-first-message");
    this.gs2Header = `${match[1]},,`;
    this.clientFirstBare = match[2]!;
    this.nonce = match[3]! + randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString("base64")},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** Takes the SASLResponse body; returns the server-final-message when the proof holds. */
  clientFinal(body: Buffer): string {
    const message = body.toString();
    const match = /^(c=([^,]*),r=([^,]*)(?:,.*)?),p=([A-Za-z0-9+/=]+)$/.exec(message);
    if (!match) throw new ScramError("malformed SCRAM client-final-message");
    const [, withoutProof, binding, nonce, proofText] = match;
    if (binding !== Buffer.from(this.gs2Header).toString("base64") || nonce !== this.nonce) throw new ScramError("SCRAM channel binding or nonce mismatch");
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = Buffer.from(proofText!, "base64");
    const signature = hmac(this.verifier.storedKey, authMessage);
    if (proof.length !== signature.length) throw new ScramError("password authentication failed");
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(sha256(clientKey), this.verifier.storedKey)) throw new ScramError("password authentication failed");
    return `v=${hmac(this.verifier.serverKey, authMessage).toString("base64")}`;
  }
}
