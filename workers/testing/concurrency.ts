/**
 * Runs at most `n` of the given tasks at a time. Tests that fire many app.request calls at
 * once use it to stay inside the test Postgres's connection limit: every request opens its
 * own pool (workers/middleware/database.ts), and the route matrix once opened more than the
 * server's 100 connections, which made a setup call fail with "too many clients" seen by the
 * driver as "Network connection lost".
 */
export function concurrencyLimit(n: number): <T>(task: () => T | Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(task: () => T | Promise<T>): Promise<T> {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
