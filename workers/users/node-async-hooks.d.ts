// The slice of node:async_hooks that sessions.test.ts touches (workerd provides the module
// under nodejs_compat). The worker tsconfig has no @types/node.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    disable(): void;
  }
}
