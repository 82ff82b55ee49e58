// `inject("services")` in workerd tests carries what the global setup started.
import type { TestServicesPlan } from "./test-services-types.ts";

declare module "vitest" {
  export interface ProvidedContext {
    services: TestServicesPlan;
  }
}
