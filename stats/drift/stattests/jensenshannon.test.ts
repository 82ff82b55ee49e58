import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { jensenshannon } from "./jensenshannon.ts";

describeFixtureCases(jensenshannon);
