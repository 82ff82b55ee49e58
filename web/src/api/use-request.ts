import { useCallback, useEffect, useState } from "preact/hooks";
import { describeError, isMissingRoute } from "./errors.ts";

export interface RequestState<T> {
  data: T | undefined;
  error: string | null;
  /** The API answered 404 for the route itself: this server does not have the feature yet. */
  missing: boolean;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` on mount and whenever `deps` change; aborts stale requests; keeps the last data while reloading. */
export function useRequest<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): RequestState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    load(ctl.signal)
      .then((d) => {
        if (ctl.signal.aborted) return;
        setData(d);
        setError(null);
        setMissing(false);
      })
      .catch((err: unknown) => {
        if (ctl.signal.aborted) return;
        setError(describeError(err));
        setMissing(isMissingRoute(err));
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, missing, loading, reload };
}
