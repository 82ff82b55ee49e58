import { describe, expect, it } from "vitest";
import { FrontendMessageScanner } from "./pg-frontend-scanner.ts";

function startup(): Buffer {
  const params = Buffer.from("user\0postgres\0database\0test\0\0");
  const b = Buffer.alloc(8 + params.length);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(196608, 4); // protocol 3.0
  params.copy(b, 8);
  return b;
}
function typed(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(5 + payload.length);
  b.write(type, 0, "latin1");
  b.writeInt32BE(4 + payload.length, 1);
  payload.copy(b, 5);
  return b;
}
const query = (sql: string) => typed("Q", Buffer.from(`${sql}\0`));

describe("FrontendMessageScanner", () => {
  it("sees Terminate after startup and queries", () => {
    const s = new FrontendMessageScanner();
    expect(s.push(startup())).toBe(false);
    expect(s.push(query("select 1"))).toBe(false);
    expect(s.push(typed("X"))).toBe(true);
  });

  it("does not mistake an 'X' inside a query text or a startup parameter for Terminate", () => {
    const s = new FrontendMessageScanner();
    expect(s.push(startup())).toBe(false);
    expect(s.push(query("select 'X'"))).toBe(false);
  });

  it("handles messages split across chunks at any byte", () => {
    const all = Buffer.concat([startup(), query("select 1"), typed("S"), typed("X")]);
    for (let cut = 1; cut < all.length; cut++) {
      const s = new FrontendMessageScanner();
      const first = s.push(all.subarray(0, cut));
      const second = s.push(all.subarray(cut));
      // Terminate is the last message, so it can only complete with the second chunk.
      expect(first).toBe(false);
      expect(second).toBe(true);
    }
  });

  it("skips an SSLRequest before the startup message", () => {
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    const s = new FrontendMessageScanner();
    // If the SSLRequest were taken as the startup, 'startup()' would be parsed as typed messages.
    expect(s.push(Buffer.concat([ssl, startup(), typed("X")]))).toBe(true);
  });
});
