import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { klDiv } from "./kl-div.ts";

describeFixtureCases(klDiv);
