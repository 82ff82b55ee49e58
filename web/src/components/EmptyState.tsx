import type { ComponentChildren } from "preact";
import { CurlExample } from "./CurlExample.tsx";

export interface EmptyStateProps {
  title: string;
  children?: ComponentChildren;
  /** When set, shows the first-ingest curl command carrying this key. */
  curl?: { origin: string; apiKey: string | null };
}

/** What a newcomer sees where data will be: what this is, and the next step to take. */
export function EmptyState({ title, children, curl }: EmptyStateProps) {
  return (
    <section class="card empty" aria-label={title}>
      <h2>{title}</h2>
      {children}
      {curl && <CurlExample origin={curl.origin} apiKey={curl.apiKey} />}
    </section>
  );
}
