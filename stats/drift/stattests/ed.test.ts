import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { ed } from "./ed.ts";

describeFixtureCases(ed);
