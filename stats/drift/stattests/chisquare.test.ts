import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { chisquare } from "./chisquare.ts";

describeFixtureCases(chisquare);
