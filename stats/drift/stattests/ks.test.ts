import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { ks } from "./ks.ts";

describeFixtureCases(ks);
