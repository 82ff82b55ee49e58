import type { RequestState } from "../api/use-request.ts";
import { ErrorBanner } from "./ErrorBanner.tsx";
import { Skeleton } from "./Skeleton.tsx";

/** The loading, failed and not-on-this-server states of a request, the same everywhere. */
export function RequestStatus({ request, what }: { request: RequestState<unknown>; what: string }) {
  if (request.missing) return <p class="notice">This server does not offer {what} yet.</p>;
  if (request.error) return <ErrorBanner title={`Could not load ${what}`} message={request.error} onRetry={request.reload} />;
  if (request.loading && request.data === undefined) return <Skeleton lines={3} label={`Loading ${what}`} />;
  return null;
}
