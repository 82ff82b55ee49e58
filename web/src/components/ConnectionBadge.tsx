import type { LiveRoom } from "../state/live-room.ts";
import { StatusBadge } from "./StatusBadge.tsx";

/** Whether the live socket is up; a drop shows "Reconnecting" while partysocket retries. */
export function ConnectionBadge({ room }: { room: LiveRoom }) {
  const c = room.connection.value;
  return (
    <span role="status" aria-live="polite" data-testid="connection">
      <StatusBadge status={c} />
    </span>
  );
}
