import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { gTest } from "./g-test.ts";

describeFixtureCases(gTest);
