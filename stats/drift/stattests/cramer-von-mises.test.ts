import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { cramerVonMises } from "./cramer-von-mises.ts";

describeFixtureCases(cramerVonMises);
