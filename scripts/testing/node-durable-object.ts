// Stands in for `cloudflare:test` and for workers/testing/seed.ts in
// vitest.mutation-node.config.ts (mutation testing only), so that store tests written
// for workerd (label-join.test.ts, erasure.test.ts) run in Node against
// node-sqlite-storage.ts. It offers only what those tests use (each call on a stub of
// its own): a stub by name and `runInDurableObject` handing the callback a fresh
// object's storage. There is no object instance: a test that reaches for one, or for
// anything else from either module, fails instead of passing without its precondition.
import { nodeDurableStorage, type NodeDurableStorage } from "./node-sqlite-storage.ts";

export interface NodeObjectStub {
  readonly name: string;
}

/** Like testEnv's Durable Object namespace. */
export const testEnv = {
  ModelMonitor: {
    getByName: (name: string): NodeObjectStub => ({ name }),
  },
};

/**
 * Runs `fn` against a fresh object's storage and closes it after: Stryker's vitest runner
 * stops a run at its first failing test and ends the worker thread, and a thread ending
 * with a node:sqlite database open crashed Node (SIGSEGV). So a stub holds nothing
 * between calls: a test that calls twice on one stub fails on the missing tables.
 */
export async function runInDurableObject<T>(_stub: NodeObjectStub, fn: (instance: undefined, state: { storage: NodeDurableStorage }) => T | Promise<T>): Promise<T> {
  const storage = nodeDurableStorage();
  try {
    return await fn(undefined, { storage });
  } finally {
    storage.close();
  }
}
