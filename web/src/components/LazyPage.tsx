import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorBanner } from "./ErrorBanner.tsx";
import { Skeleton } from "./Skeleton.tsx";

/**
 * Wraps a page that lives in its own chunk: the first visit loads it (with a skeleton),
 * later visits render it at once. Keeps the charts library out of the first load.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<string | null>(null);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (Page) return;
      let live = true;
      load()
        .then((c) => {
          loaded = c;
          if (live) setPage(() => c);
        })
        .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
      return () => {
        live = false;
      };
    }, [attempt]);
    if (error) return <ErrorBanner title="This page failed to load" message={error} onRetry={() => (setError(null), setAttempt(attempt + 1))} />;
    if (!Page) return <Skeleton lines={6} label="Loading page" />;
    return <Page {...props} />;
  };
}
