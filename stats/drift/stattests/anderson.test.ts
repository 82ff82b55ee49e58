import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { anderson } from "./anderson.ts";

describeFixtureCases(anderson);
