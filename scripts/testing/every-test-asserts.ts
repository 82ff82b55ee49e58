// Shared setup for the node and web test projects: a test that ends without a single
// assertion fails ("expected any number of assertion, but got none"), so a test whose
// precondition silently returned early, or whose checks sit in a callback that never ran,
// cannot count as a pass. A test that truly cannot run says so with ctx.skip(reason).

import { beforeEach, expect } from "vitest";

beforeEach(() => {
  expect.hasAssertions();
});
