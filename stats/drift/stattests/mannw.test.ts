import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { mannw } from "./mannw.ts";

describeFixtureCases(mannw);
