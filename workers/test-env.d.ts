// Types for tests that run inside workerd: `exports.default` is this Worker's entry.
export {};

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
    }
  }
}
