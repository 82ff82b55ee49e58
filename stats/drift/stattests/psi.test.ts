import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { psi } from "./psi.ts";

describeFixtureCases(psi);
