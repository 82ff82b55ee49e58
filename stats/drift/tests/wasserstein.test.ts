import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { wasserstein } from "./wasserstein.ts";

describeFixtureCases(wasserstein);
