import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { hellinger } from "./hellinger.ts";

describeFixtureCases(hellinger);
