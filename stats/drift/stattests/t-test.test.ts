import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { tTest } from "./t-test.ts";

describeFixtureCases(tTest);
