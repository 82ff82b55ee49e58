import { Server, type Connection } from "partyserver";
import { parseRoomName, type ServerMessage } from "./protocol.ts";

/**
 * One Durable Object per monitored model version (room name `<model>:<version>`).
 * It keeps the live windows in its SQLite storage and pushes updates to the
 * dashboard sockets; hibernation lets idle monitors cost nothing.
 */
export class ModelMonitor extends Server {
  static override options = { hibernate: true };

  override onStart() {
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS monitor_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    );
    this.ctx.storage.sql.exec(
      `INSERT OR IGNORE INTO monitor_meta (key, value) VALUES ('created_at', ?)`,
      new Date().toISOString(),
    );
  }

  override onConnect(connection: Connection) {
    const room = parseRoomName(this.name);
    const message: ServerMessage = room
      ? {
          type: "snapshot", model: room.model, version: room.version, serverTime: Date.now(),
          baseline: { status: "collecting", source: null, rows: 0, target: 0, frozenAt: null, features: [] },
          windows: [], volume: [], eventRate: 0,
          totals: { events: 0, batches: 0, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: null },
        }
      : { type: "error", code: "bad_room", message: `room must be <model>:<version>, got "${this.name}"` };
    connection.send(JSON.stringify(message));
  }

  override onRequest(): Response {
    const row = this.ctx.storage.sql
      .exec<{ value: string }>(`SELECT value FROM monitor_meta WHERE key = 'created_at'`)
      .toArray()[0];
    return Response.json({ room: this.name, createdAt: row?.value ?? null });
  }
}
