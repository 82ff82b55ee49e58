import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { fisherExact } from "./fisher-exact.ts";

describeFixtureCases(fisherExact);
