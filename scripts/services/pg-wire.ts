// The Postgres wire protocol (3.0, "Message Formats" in the PostgreSQL documentation) as
// far as the session server in front of PGlite needs it: building the messages it sends
// and following the backend's byte stream.

/** AuthenticationSASL (10), AuthenticationSASLContinue (11) or AuthenticationSASLFinal (12). */
export function authentication(code: number, data: Buffer): Buffer {
  const body = Buffer.alloc(4 + data.length);
  body.writeInt32BE(code, 0);
  data.copy(body, 4);
  return message("R", body);
}

/** The `user` parameter of a startup message (int32 length, int32 version, then name/value C strings). */
export function startupUser(startup: Buffer): string {
  const fields = startup.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === "user") return fields[i + 1]!;
  return "";
}

export function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`);
}

/** One backend or frontend wire message: type byte, Int32 length (itself included), body. */
export function message(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, "latin1");
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

/** An ErrorResponse a client library shows as a normal Postgres error. */
export function errorResponse(severity: "FATAL" | "ERROR", code: string, text: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from("S"), cString(severity),
    Buffer.from("V"), cString(severity),
    Buffer.from("C"), cString(code),
    Buffer.from("M"), cString(text),
    Buffer.from([0]),
  ]);
  return message("E", fields);
}

export type TxStatus = "I" | "T" | "E";

/**
 * Follows the server→client byte stream across chunks, far enough to know the status
 * of the last ReadyForQuery and whether the backend waits for COPY data.
 */
export class BackendScanner {
  /** Status of the latest ReadyForQuery, null if none since `ready = null`. */
  ready: TxStatus | null = null;
  copyIn = false;
  private header = Buffer.alloc(6);
  private headerLength = 0;
  private remaining = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i);
        this.remaining -= n;
        i += n;
        continue;
      }
      // Type byte, int32 length, and for 'Z' its status byte.
      this.header[this.headerLength++] = chunk[i++]!;
      if (this.headerLength < 5) continue;
      const type = this.header[0]!;
      const length = this.header.readInt32BE(1);
      if (type === 0x5a /* Z */ && this.headerLength < 6) continue;
      if (type === 0x5a) {
        this.ready = String.fromCharCode(this.header[5]!) as TxStatus;
        this.copyIn = false;
      } else if (type === 0x47 /* CopyInResponse */) this.copyIn = true;
      else if (type === 0x45 /* ErrorResponse */) this.copyIn = false;
      this.remaining = length - (this.headerLength - 1);
      this.headerLength = 0;
    }
  }
}
