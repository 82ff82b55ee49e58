/**
 * Follows the client→server half of the Postgres wire protocol just far enough to
 * see a Terminate ('X') message. The first message is untyped (startup, SSLRequest
 * or GSSENCRequest: int32 length, int32 code); every later one is a type byte and an
 * int32 length that counts itself. See PostgreSQL docs, "Message Formats".
 */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export class FrontendMessageScanner {
  private buffer: Buffer = Buffer.alloc(0);
  private inStartup = true;
  private terminated = false;

  /** Feeds client bytes; returns true once a Terminate message has been seen. */
  push(chunk: Buffer): boolean {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (!this.terminated) {
      if (this.inStartup) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) break;
        const code = this.buffer.readInt32BE(4);
        // After an SSL or GSS negotiation request the real startup message follows.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.inStartup = false;
        this.buffer = this.buffer.subarray(length);
        continue;
      }
      if (this.buffer.length < 5) break;
      const type = this.buffer[0];
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) break;
      if (type === 0x58 /* 'X' */) this.terminated = true;
      this.buffer = this.buffer.subarray(1 + length);
    }
    return this.terminated;
  }
}
